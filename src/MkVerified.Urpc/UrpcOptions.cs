namespace MkVerified.Urpc;

/// <summary>Channel parameters. Defaults follow Barrelfish: 2048-byte rings (32 slots) per direction.</summary>
public sealed record UrpcOptions
{
    public int Slots { get; init; } = 32;

    /// <summary>The receiver sends an explicit ack after consuming this many messages without sending anything back.</summary>
    public int AckThreshold { get; init; } = 16;

    public UrpcFault Fault { get; init; } = UrpcFault.None;

    /// <summary>Checker-only shadow state asserting the channel's guarantees (never read by the protocol).</summary>
    public bool GhostChecks { get; init; } = true;

    public static UrpcOptions Default { get; } = new();

    public void Validate()
    {
        if (Slots < 3 || Slots > 1 << 15) throw new ArgumentException($"URPC ring needs 3..32768 slots, not {Slots}");
        // Explicit acks go to the ack line, not into the ring, so even 1 (ack every message) cannot ping-pong.
        if (AckThreshold < 1 || AckThreshold > Slots - 1) throw new ArgumentException($"URPC ack threshold must be in 1..{Slots - 1}, not {AckThreshold}");
    }
}
