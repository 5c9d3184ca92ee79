using System.Diagnostics;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>
/// Runs a scenario variant under Coyote's TestingEngine: every iteration is a fresh emulation whose scheduling
/// points are decided by the strategy's pick policy through Coyote's controlled generator; the first bug stops the
/// run and its reproducible trace is kept. Iteration i of a run uses seed + i.
/// </summary>
public static class ExplorationRunner
{
    public static ExplorationResult Run(ExplorationRequest request)
    {
        var horizon = ScenarioValidation.Check(request.Scenario, request.Variant, request.Machine, request.Cores, request.Strategy, out var topology);
        var coverage = request.Coverage ? new CoverageCollector(request.Scenario, request.Cores) : null;
        var schedules = new HashSet<long>();
        long buggy = 0;
        var distinct = new Dictionary<string, ContinuedBug>();
        var steps = new StepStats.Builder();
        long started = 0;
        string? lastPolicy = null;
        var iteration = new ScenarioIteration(request.Scenario, topology, request.Variant, request.Cores, horizon)
        {
            RecordEvents = coverage is not null,
            MaxSteps = request.MaxSteps,
            OnBug = !request.Continue ? null : (message, picks) =>
            {
                buggy++;
                distinct.TryAdd(ScheduleMinimizer.CheckOf(message), new ContinuedBug(started, message, lastPolicy!, [.. picks]));
            },
            HashState = request.Strategy == Strategies.QLearning,
            OnEnd = coverage is null ? null : e => coverage.Add(e.Events),
        };
        var watch = Stopwatch.StartNew();
        var lastProgress = 0L;

        var configuration = CoyoteSettings.Base()
            .WithTestingIterations(request.Iterations)
            .WithRandomGeneratorSeed(request.Seed)
            .WithCoyoteStrategy(request.Strategy);
        using var engine = CoyoteSettings.CreateEngine(configuration, () =>
        {
            lastPolicy = Strategies.WithKnob(Strategies.PolicyOf(request.Strategy, started), request.Knobs);
            started++;
            if (request.Progress is { } progress && watch.ElapsedMilliseconds - lastProgress >= 1000)
            {
                lastProgress = watch.ElapsedMilliseconds;
                progress($"iteration {started}/{request.Iterations}, {started / watch.Elapsed.TotalSeconds:0} it/s");
            }
            try
            {
                iteration.Run(lastPolicy);
            }
            finally
            {
                schedules.Add(iteration.LastScheduleFingerprint);
                steps.Add(iteration.LastPicks);
            }
        });
        var timedOut = false;
        using var timer = request.Timeout is { } limit
            ? new Timer(_ => { timedOut = true; engine.Stop(); }, null, limit, System.Threading.Timeout.InfiniteTimeSpan)
            : null;
        engine.Run();
        watch.Stop();
        var report = engine.TestReport;
        var bug = report.NumOfFoundBugs > 0 ? report.BugReports.First() : null;
        return new ExplorationResult(request, horizon, started, watch.Elapsed, schedules.Count, bug,
            bug is null ? null : lastPolicy, bug is null ? null : engine.ReproducibleTrace, timedOut && bug is null, coverage?.Report())
        {
            Steps = steps.Build(),
            BuggyIterations = buggy,
            DistinctBugs = [.. distinct.Values],
        };
    }
}
