using MkVerified.Experiments.Scenarios;
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
        var scenario = ScenarioCatalog.Find(trace.Scenario)
            ?? throw new ExplorationInputException($"trace names unknown scenario '{trace.Scenario}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}");
        if (!Strategies.IsReplayable(trace.Policy))
            throw new ExplorationInputException($"trace names unknown policy '{trace.Policy}'");
        var variant = variantOverride ?? trace.Variant;
        // The horizon comes from the trace, not from today's dry run: the recorded draws were made against it.
        ScenarioValidation.Check(scenario, variant, trace.Machine, trace.Cores, trace.Strategy, out var topology);
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
            throw new ExplorationInputException($"the Coyote schedule inside the trace file is corrupt ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
        }
        using var owned = engine;
        engine.Run();
        var report = engine.TestReport;
        var bug = report.NumOfFoundBugs > 0 ? report.BugReports.First() : null;
        return new ReplayResult(trace, bug == trace.BugMessage, bug, events, trace.Cores);
    }
}
