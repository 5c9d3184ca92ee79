using Microsoft.Coyote.SystematicTesting;
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
        long emulationTicks = 0;
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

        // Coyote's engine keeps about 12 KB per iteration for its lifetime (TOOLCHAIN.md), so a long run is a series
        // of engines of at most ChunkIterations each, seeds continuing: iteration i still uses seed + i.
        var timedOut = false;
        string? bug = null;
        string? reproducible = null;
        TestingEngine? current = null;
        using var timer = request.Timeout is { } limit
            ? new Timer(_ => { timedOut = true; Volatile.Read(ref current)?.Stop(); }, null, limit, System.Threading.Timeout.InfiniteTimeSpan)
            : null;
        var chunk = Math.Max(1u, request.Strategy == Strategies.QLearning && request.ChunkIterations == ExplorationRequest.DefaultChunkIterations
            ? ExplorationRequest.QLearningChunkIterations : request.ChunkIterations);
        while (started < request.Iterations && bug is null && !timedOut)
        {
            var count = (uint)Math.Min(chunk, request.Iterations - started);
            var configuration = CoyoteSettings.Base()
                .WithTestingIterations(count)
                .WithRandomGeneratorSeed(request.Seed + (uint)started)
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
                var began = Stopwatch.GetTimestamp();
                try
                {
                    iteration.Run(lastPolicy);
                }
                finally
                {
                    emulationTicks += Stopwatch.GetTimestamp() - began;
                    schedules.Add(iteration.LastScheduleFingerprint);
                    steps.Add(iteration.LastPicks);
                }
            });
            Volatile.Write(ref current, engine);
            if (timedOut) break;
            engine.Run();
            Volatile.Write(ref current, null);
            // The finished engine's per-iteration records are garbage now: collect them before the next engine grows the
            // heap further (without this the peak resident size still grew with the run, as full collections came late).
            if (started < request.Iterations) GC.Collect();
            var report = engine.TestReport;
            if (report.NumOfFoundBugs > 0)
            {
                bug = report.BugReports.First();
                reproducible = engine.ReproducibleTrace;
            }
        }
        watch.Stop();
        return new ExplorationResult(request, horizon, started, watch.Elapsed, schedules.Count, bug,
            bug is null ? null : lastPolicy, reproducible, timedOut && bug is null, coverage?.Report())
        {
            Steps = steps.Build(),
            EmulationTime = Stopwatch.GetElapsedTime(0, emulationTicks),
            BuggyIterations = buggy,
            DistinctBugs = [.. distinct.Values],
        };
    }
}
