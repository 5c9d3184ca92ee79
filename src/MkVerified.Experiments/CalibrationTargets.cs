namespace MkVerified.Experiments;

/// <summary>
/// Table 2 of CALIBRATION.md (the paper's URPC measurements). Used only to report how far the emulator is from
/// the published figures; no experiment computes anything from these numbers.
/// </summary>
public static class CalibrationTargets
{
    public sealed record Target(string Machine, string Path, int LatencyCycles, double ThroughputMsgsPerKcycle);

    public static IReadOnlyList<Target> Table2 { get; } =
    [
        new("intel-2x4", "shared", 180, 11.97),
        new("intel-2x4", "non-shared", 570, 3.78),
        new("amd-2x2", "same-die", 450, 3.42),
        new("amd-2x2", "one-hop", 532, 3.19),
        new("amd-4x4", "shared", 448, 3.57),
        new("amd-4x4", "one-hop", 545, 3.53),
        new("amd-4x4", "two-hop", 558, 3.51),
        new("amd-8x4", "shared", 538, 2.77),
        new("amd-8x4", "one-hop", 613, 2.79),
        new("amd-8x4", "two-hop", 618, 2.75),
    ];

    public static Target? Find(string machine, string path) => Table2.FirstOrDefault(t => t.Machine == machine && t.Path == path);
}
