using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>What to explore: a scenario variant on a machine, with a strategy, an iteration budget and a seed.</summary>
public sealed record ExplorationRequest(IScenario Scenario, string Variant, string Machine, int Cores, string Strategy, uint Iterations, uint Seed)
{
    /// <summary>Wall-clock cap; the run stops early (no bug found so far) when it passes.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Record events in every iteration and collect protocol coverage (slower).</summary>
    public bool Coverage { get; init; }

    /// <summary>Knobs of the pct, delay-bounding and probabilistic policies.</summary>
    public PolicyKnobs Knobs { get; init; } = PolicyKnobs.Defaults;

    /// <summary>Most scheduling decisions per iteration: a longer iteration is cut there (not a bug); null: the scenario's own bound.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Do not stop at the first bug: count buggy iterations and keep the first schedule of each distinct failing check.</summary>
    public bool Continue { get; init; }

    /// <summary>Iterations per Coyote engine: a longer run uses a series of engines (seeds continuing), since an engine keeps memory per iteration.</summary>
    public uint ChunkIterations { get; init; } = DefaultChunkIterations;

    /// <summary>
    /// An engine keeps about 12 KB per iteration, and the last engine stays reachable until the next one replaces it, so
    /// the plateau is about two chunks' worth: 1,000 iterations keep it near what a short run needs. Q-learning learns
    /// within one engine, so its chunks are longer.
    /// </summary>
    public const uint DefaultChunkIterations = 1000;

    public const uint QLearningChunkIterations = 10_000;

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

    /// <summary><c>--continue</c>: iterations that failed a check.</summary>
    public long BuggyIterations { get; init; }

    /// <summary><c>--continue</c>: the first iteration (1-based), message, policy and picked indices of each distinct failing check.</summary>
    public IReadOnlyList<ContinuedBug> DistinctBugs { get; init; } = [];

    /// <summary>Wall-clock time spent inside the iterations' own code (the emulation and the policy), the rest being Coyote's engine.</summary>
    public TimeSpan EmulationTime { get; init; }

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

/// <summary>A bug kept by <c>--continue</c>: its first iteration, message, policy and schedule (picked index at each decision).</summary>
public sealed record ContinuedBug(long Iteration, string Message, string Policy, IReadOnlyList<int> Picks);
