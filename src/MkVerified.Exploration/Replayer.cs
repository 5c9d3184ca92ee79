using MkVerified.Scenarios;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>The result of replaying a trace: whether its bug recurred (same message), and the replayed run's events.</summary>
public sealed record ReplayResult(TraceFile Trace, bool Reproduced, string? BugMessage, IReadOnlyList<TraceEvent> Events, int Cores)
{
    /// <summary>
    /// The core ids the renders show as columns: those that appear in the events (a scenario may spread its cores over
    /// packages, e.g. 0, 1, 4, 5), or 0..Cores-1 when nothing was recorded.
    /// </summary>
    public IReadOnlyList<int> CoreIds { get; } = Events.Count == 0
        ? Enumerable.Range(0, Cores).ToList()
        : Events.Select(e => e.Core).Concat(Events.Where(e => e.Peer >= 0).Select(e => e.Peer)).Distinct().Order().ToList();
}

/// <summary>
/// Replays a trace file: the same scenario iteration, the same pick policy, and Coyote answering every controlled
/// choice from the recorded schedule. Events are recorded in the replayed iteration (recording adds no scheduling points).
/// </summary>
public static class Replayer
{
    public static ReplayResult Replay(TraceFile trace, string? variantOverride = null, List<int>? pickLog = null)
    {
        // Every problem names the trace file and the field it comes from: the user passed a file, not these options.
        var source = trace.Source;
        var scenario = ScenarioCatalog.Find(trace.Scenario)
            ?? throw new ExplorationInputException($"{source}: field 'scenario' names unknown scenario '{trace.Scenario}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}");
        if (!Strategies.IsReplayable(trace.Policy))
            throw new ExplorationInputException($"{source}: field 'policy' names unknown policy '{trace.Policy}'; known: {string.Join(", ", Strategies.All.Where(s => s != Strategies.Portfolio))}");
        if (!Strategies.IsKnown(trace.Strategy))
            throw new ExplorationInputException($"{source}: field 'strategy' names unknown strategy '{trace.Strategy}'; known: {string.Join(", ", Strategies.All)}");
        var variant = variantOverride ?? trace.Variant;
        if (variant != IScenario.Correct && scenario.Variants.All(v => v.Name != variant))
            throw new ExplorationInputException($"{source}: field 'variant' names unknown variant '{variant}' of scenario {scenario.Name}; known: {IScenario.Correct}, {string.Join(", ", scenario.Variants.Select(v => v.Name))}");
        MachineModel model;
        try
        {
            model = ModelCatalog.Load(trace.Machine);
        }
        catch (ModelException e)
        {
            throw new ExplorationInputException($"{source}: field 'machine': {e.Message}");
        }
        if (trace.Cores < 1 || trace.Cores > model.CoreCount)
            throw new ExplorationInputException($"{source}: field 'cores' is {trace.Cores}, must be in 1..{model.CoreCount} for machine {model.Name}");
        // The horizon comes from the trace, not from today's dry run: the recorded draws were made against it.
        Topology topology;
        try
        {
            ScenarioValidation.Check(scenario, variant, trace.Machine, trace.Cores, trace.Strategy, out topology);
        }
        catch (ExplorationInputException e)
        {
            throw new ExplorationInputException($"{source}: fields 'scenario', 'variant', 'cores' do not make a runnable scenario: {e.Message}");
        }
        IReadOnlyList<TraceEvent> events = [];
        var iteration = new ScenarioIteration(scenario, topology, variant, trace.Cores, trace.Horizon)
        {
            RecordEvents = true,
            HashState = trace.Policy == Strategies.QLearning,
            OnEnd = e => events = e.Events.ToList(),
            PickLog = pickLog,
        };
        var configuration = CoyoteSettings.Base().WithTestingIterations(1);
        Microsoft.Coyote.SystematicTesting.TestingEngine engine;
        try
        {
            // Coyote parses its trace when the engine is built; whatever it throws means the recorded schedule is unusable.
            engine = CoyoteSettings.CreateEngine(configuration.WithReproducibleTrace(trace.CoyoteTrace), () => iteration.Run(trace.Policy));
        }
        catch (Exception e)
        {
            throw new ExplorationInputException($"{source}: field 'coyoteTrace' is corrupt ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
        }
        using var owned = engine;
        engine.Run();
        var report = engine.TestReport;
        var bug = report.NumOfFoundBugs > 0 ? report.BugReports.First() : null;
        return new ReplayResult(trace, bug == trace.BugMessage, bug, events, trace.Cores);
    }
}
