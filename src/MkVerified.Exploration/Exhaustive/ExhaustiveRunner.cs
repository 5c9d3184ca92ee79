using System.Diagnostics;
using MkVerified.Runtime;

namespace MkVerified.Exploration.Exhaustive;

/// <summary>Bounds of an exhaustive search.</summary>
public sealed record ExhaustiveOptions
{
    /// <summary>Most preemptions per schedule; null: unbounded.</summary>
    public int? PreemptionBound { get; init; }

    /// <summary>Most scheduling decisions per schedule; longer schedules are cut and the verdict is "not complete".</summary>
    public long MaxSteps { get; init; } = long.MaxValue;

    /// <summary>Partial-order reduction (none: plain depth-first search over every interleaving).</summary>
    public Reduction Reduction { get; init; } = Reduction.Dpor;

    /// <summary>Stop after this many schedules (not complete then); null: no limit.</summary>
    public long? MaxSchedules { get; init; }
}

/// <summary>How an exhaustive search ended.</summary>
public sealed record ExhaustiveResult(
    long Schedules,
    long SleepBlocked,
    long PrunedBranches,
    long BoundedBranches,
    long Cut,
    bool Exhausted,
    bool TimedOut,
    TimeSpan Elapsed,
    long MinPicks,
    double MeanPicks,
    long MaxPicks,
    string? BugMessage,
    IReadOnlyList<int>? BugPicks)
{
    public bool FoundBug => BugMessage is not null;

    /// <summary>Every schedule within the bounds was run (or stands for one that was, by the reduction).</summary>
    public bool Complete => Exhausted && Cut == 0 && !FoundBug;
}

/// <summary>
/// <c>--strategy exhaustive</c>: runs every schedule of a scenario variant (within the bounds), up to equivalence by
/// sleep sets, directly on the emulation (no Coyote engine: each execution is one direct run). A bug stops the search;
/// its schedule is written as a uniform-policy Coyote trace, so <c>mk replay</c> replays it like any other.
/// </summary>
public static class ExhaustiveRunner
{
    public static ExhaustiveResult Run(ExplorationRequest request, ExhaustiveOptions options, out int horizon)
    {
        horizon = ScenarioValidation.Check(request.Scenario, request.Variant, request.Machine, request.Cores, request.Strategy, out var topology);
        var policy = new ExhaustivePolicy(options.PreemptionBound, options.MaxSteps, options.Reduction);
        var watch = Stopwatch.StartNew();
        var deadline = request.Timeout is { } t ? t : TimeSpan.MaxValue;
        long schedules = 0, lastProgress = 0, minPicks = long.MaxValue, maxPicks = 0, sumPicks = 0;
        string? bug = null;
        List<int>? bugPicks = null;
        var exhausted = false;
        var timedOut = false;
        while (true)
        {
            var run = DirectRun.Run(request.Scenario, topology, request.Variant, request.Cores, policy, policy, policy.BeginExecution);
            policy.EndExecution();
            schedules++;
            var picks = policy.Picks.Count;
            minPicks = Math.Min(minPicks, picks);
            maxPicks = Math.Max(maxPicks, picks);
            sumPicks += picks;
            if (run.Bug is not null)
            {
                bug = run.Bug;
                bugPicks = [.. policy.Picks];
                break;
            }
            if (!policy.Backtrack())
            {
                exhausted = true;
                break;
            }
            if (options.MaxSchedules is { } most && schedules >= most) break;
            if (watch.Elapsed > deadline)
            {
                timedOut = true;
                break;
            }
            if (request.Progress is { } progress && watch.ElapsedMilliseconds - lastProgress >= 1000)
            {
                lastProgress = watch.ElapsedMilliseconds;
                progress($"{schedules} schedules, {policy.SleepBlocked} redundant stopped, {policy.PrunedBranches} branches pruned, {schedules / watch.Elapsed.TotalSeconds:0}/s");
            }
        }
        watch.Stop();
        return new ExhaustiveResult(schedules, policy.SleepBlocked, policy.PrunedBranches, policy.BoundedBranches, policy.Cut, exhausted, timedOut,
            watch.Elapsed, schedules == 0 ? 0 : minPicks, schedules == 0 ? 0 : (double)sumPicks / schedules, maxPicks, bug, bugPicks);
    }
}
