namespace MkVerified.Urpc;

/// <summary>Seeded bugs: named, switchable deviations of the real channel code (the checker's own test).</summary>
public enum UrpcFault
{
    None,
    /// <summary>The header (with the epoch) is written before the payload words.</summary>
    HeaderBeforePayload,
    /// <summary>The receiver acknowledges a slot before copying its payload (a real Barrelfish bug).</summary>
    EarlyAck,
    /// <summary>The epoch is not flipped when the ring wraps.</summary>
    EpochWrap,
    /// <summary>The sender ignores its credits when the ring is full.</summary>
    NoCreditCheck,
}

public static class UrpcFaults
{
    public static IReadOnlyList<(string Name, UrpcFault Fault, string Breaks)> All { get; } =
    [
        ("header-before-payload", UrpcFault.HeaderBeforePayload, "writes the header (epoch) before the payload words, so a receiver can accept a half-written slot"),
        ("early-ack", UrpcFault.EarlyAck, "acknowledges a slot before copying its payload, so the sender may reuse the slot while it is read"),
        ("epoch-wrap", UrpcFault.EpochWrap, "does not flip the epoch when the ring wraps, so a stale slot looks new"),
        ("no-credit-check", UrpcFault.NoCreditCheck, "sends without checking credits, overwriting slots the receiver has not consumed"),
    ];
}
