namespace MkVerified.Hardware;

/// <summary>How packages talk: point-to-point links (HyperTransport, QPI) or one shared bus (front-side bus).</summary>
public enum InterconnectKind { PointToPoint, Bus }

/// <summary>Which cores a cache level is shared by.</summary>
public enum CacheSharing { Core, Die, Package }

public sealed record CacheLevel(int Level, int SizeKiB, CacheSharing SharedBy);

public sealed record DieSpec(int Id, IReadOnlyList<int> Cores);

public sealed record PackageSpec(int Id, IReadOnlyList<DieSpec> Dies);

/// <summary>
/// Cycle costs of the machine. Every cycle the emulator reports is made of these numbers;
/// see spec/machine-model.md for each field's meaning, unit and range. Read, written and fitted through
/// <see cref="ModelParameters"/> (which is why the fields are not <c>required</c>: the parser sets them from that list).
/// </summary>
public sealed record CostSpec
{
    public int CacheHit { get; init; }
    public int SharedCacheTransfer { get; init; }
    public int SameDieTransfer { get; init; }
    public int CrossDieTransfer { get; init; }
    public int Memory { get; init; }
    public int MessageSend { get; init; }
    public int MessageReceive { get; init; }
    public int IpiSend { get; init; }
    public int Trap { get; init; }
    public int TlbInvalidate { get; init; }
    public int LocalRpc { get; init; }
}

/// <summary>Where a model came from: <c>embedded models/NAME.json</c> or the path given, and the SHA-256 (hex) of its UTF-8 text.</summary>
public sealed record ModelOrigin(string Source, string Sha256)
{
    public static ModelOrigin Of(string source, string text) =>
        new(source, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
}

/// <summary>A machine as described by one file in models/.</summary>
public sealed record MachineModel
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required double ClockGHz { get; init; }
    public required InterconnectKind Interconnect { get; init; }
    public required IReadOnlyList<PackageSpec> Packages { get; init; }
    public required IReadOnlyList<CacheLevel> Caches { get; init; }
    public required IReadOnlyList<(int A, int B)> Links { get; init; }
    public required CostSpec Costs { get; init; }
    public required CoherenceSpec Coherence { get; init; }

    /// <summary>Where the model was read from and the SHA-256 of its text (provenance of results); null for a model built in code.</summary>
    public ModelOrigin? Origin { get; init; }

    public int CoreCount => Packages.Sum(p => p.Dies.Sum(d => d.Cores.Count));
}
