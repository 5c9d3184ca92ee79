namespace MkVerified.Runtime.Host;

/// <summary>How the threads backend runs: which host CPU each core's thread is pinned to, and how long a run may take.</summary>
public sealed record HostThreadsOptions
{
    /// <summary>
    /// A run that has not ended by then is stopped (every wait gives up) and reported as <see cref="RunStatus.StepLimit"/>,
    /// so a test fails instead of hanging.
    /// </summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Host CPU of each core, by core id; null: the CPUs this process may use, in order (core i on the i-th, wrapping).</summary>
    public IReadOnlyList<int>? Cpus { get; init; }

    /// <summary>
    /// True: the started cores take the CPUs in turn, in core order (a scenario on cores 0, 4, 5, 8 of a big model spreads
    /// over a small host); false: core i runs on the i-th CPU, as a host model numbers them.
    /// </summary>
    public bool SpreadStartedCores { get; init; }

    /// <summary>False: run unpinned (the OS places the threads).</summary>
    public bool Pin { get; init; } = true;
}

/// <summary>Where a threads run placed its cores: host CPU per core, whether pinning took effect, and why not.</summary>
public sealed record HostPlacement(IReadOnlyList<int> Cpus, bool Pinned, string Note);
