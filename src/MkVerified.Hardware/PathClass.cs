namespace MkVerified.Hardware;

/// <summary>How a cache line travels between two cores; each kind has one transfer cost in the model.</summary>
public enum PathKind
{
    /// <summary>Same core: the line is in the core's own cache.</summary>
    Local,
    /// <summary>The cores share a cache level (an L2 of a die, an L3 of a package).</summary>
    SharedCache,
    /// <summary>Same die, no shared cache (private L2s on one die).</summary>
    SameDie,
    /// <summary>Different dies joined by a bus, or of one package without a shared cache.</summary>
    CrossDie,
    /// <summary>Different packages, one or more interconnect hops apart.</summary>
    Hops,
}

/// <summary>The path between two cores, named as Table 2 of CALIBRATION.md names it.</summary>
public readonly record struct PathClass(PathKind Kind, int HopCount)
{
    public string Name => Kind switch
    {
        PathKind.Local => "local",
        PathKind.SharedCache => "shared",
        PathKind.SameDie => "same-die",
        PathKind.CrossDie => "non-shared",
        PathKind.Hops => HopName(HopCount),
        _ => "unknown",
    };

    private static string HopName(int hops) => hops switch
    {
        1 => "one-hop",
        2 => "two-hop",
        3 => "three-hop",
        4 => "four-hop",
        5 => "five-hop",
        6 => "six-hop",
        7 => "seven-hop",
        8 => "eight-hop",
        9 => "nine-hop",
        _ => $"{hops}-hop",
    };
}
