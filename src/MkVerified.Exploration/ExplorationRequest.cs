using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>What to explore: a scenario variant on a machine, with a strategy, an iteration budget and a seed.</summary>
public sealed record ExplorationRequest(IScenario Scenario, string Variant, string Machine, int Cores, string Strategy, uint Iterations, uint Seed)
{
    /// <summary>Wall-clock cap; the run stops early (no bug found so far) when it passes.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Record events in every iteration and collect protocol coverage (slower).</summary>
    public bool Coverage { get; init; }

    /// <summary>Progress lines for long runs (about once a second).</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>How an exploration went. <see cref="BugMessage"/> is null when no bug was found.</summary>
public sealed record ExplorationResult(
    ExplorationRequest Request,
    int Horizon,
    long IterationsRun,
    TimeSpan Elapsed,
    int DistinctSchedules,
    string? BugMessage,
    string? BugPolicy,
    string? ReproducibleTrace,
    bool TimedOut,
    CoverageReport? Coverage)
{
    public bool FoundBug => BugMessage is not null;

    /// <summary>Scheduling decisions per iteration, measured over the iterations run.</summary>
    public StepStats Steps { get; init; } = StepStats.None;

    public double IterationsPerSecond => Elapsed.TotalSeconds > 0 ? IterationsRun / Elapsed.TotalSeconds : 0;
}

/// <summary>Scheduling decisions per iteration (min, mean, max), measured.</summary>
public sealed record StepStats(long Min, double Mean, long Max)
{
    public static StepStats None { get; } = new(0, 0, 0);

    /// <summary>Accumulates per-iteration counts.</summary>
    public sealed class Builder
    {
        private long _min = long.MaxValue, _max, _sum, _count;

        public void Add(long steps)
        {
            _min = Math.Min(_min, steps);
            _max = Math.Max(_max, steps);
            _sum += steps;
            _count++;
        }

        public StepStats Build() => _count == 0 ? None : new StepStats(_min, (double)_sum / _count, _max);
    }
}
