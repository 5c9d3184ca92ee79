namespace MkVerified.Hardware;

/// <summary>Whom the home of a line asks about it on a miss that leaves the requester's chip.</summary>
public enum ProbeKind
{
    /// <summary>Every package (AMD Opterons before HT Assist): every such miss costs every package a probe.</summary>
    Broadcast,
    /// <summary>Only the packages that hold the line (a snoop filter or directory: the Intel chipset, large meshes).</summary>
    Filtered,
}

/// <summary>
/// Timing of the interconnect that carries coherence transactions (spec/machine-model.md, "The interconnect"):
/// every message of a transaction crosses links and coherence engines, each with a latency and an occupancy, and
/// queues when they are busy. Costs on one chip stay in <see cref="CostSpec"/>. The cycle fields are read, written and
/// fitted through <see cref="ModelParameters"/>.
/// </summary>
public sealed record CoherenceSpec
{
    public required ProbeKind Probes { get; init; }

    /// <summary>Cycles for a message's head to cross one link (routing and wire), not counting its length.</summary>
    public int LinkLatency { get; init; }

    /// <summary>Cycles a control message (request, probe, probe answer, done) holds one direction of a link.</summary>
    public int ControlOccupancy { get; init; }

    /// <summary>Cycles a data message (a 64-byte line and its header) holds one direction of a link: the link's bandwidth.</summary>
    public int DataOccupancy { get; init; }

    /// <summary>Cycles a package's coherence logic takes to act on one message (the home ordering a request, a probe's cache lookup).</summary>
    public int EngineLatency { get; init; }

    /// <summary>Cycles the home (the memory controller that owns the line's address) is busy ordering one request: the rate of transactions to the lines it homes.</summary>
    public int HomeOccupancy { get; init; }

    /// <summary>Cycles a package's probe handling is busy per probe it answers.</summary>
    public int ProbeOccupancy { get; init; }

    /// <summary>Cycles a die's shared cache is busy per transfer between its cores, on a bus machine (where no home agent orders it).</summary>
    public int OnChipOccupancy { get; init; }

    /// <summary>Misses one core may have in flight (its miss buffers); stores beyond them stall the core.</summary>
    public int OutstandingMisses { get; init; } = 1;
}
