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
    /// <summary>
    /// Out of credit, the sender re-reads the ack line (and takes its poll stamp) just before waiting but decides on its
    /// first read: an ack landing between the two reads is seen by neither, and the wait misses it (a lost wakeup).
    /// </summary>
    CreditRecheckIgnored,
}

public static class UrpcFaults
{
    public static IReadOnlyList<(string Name, UrpcFault Fault, string Breaks)> All { get; } =
    [
        ("header-before-payload", UrpcFault.HeaderBeforePayload, "writes the header (epoch) before the payload words, so a receiver can accept a half-written slot"),
        ("early-ack", UrpcFault.EarlyAck, "acknowledges a slot before copying its payload, so the sender may reuse the slot while it is read"),
        ("epoch-wrap", UrpcFault.EpochWrap, "does not flip the epoch when the ring wraps, so a stale slot looks new"),
        ("no-credit-check", UrpcFault.NoCreditCheck, "sends without checking credits, overwriting slots the receiver has not consumed"),
        ("credit-recheck-ignored", UrpcFault.CreditRecheckIgnored, "a sender out of credit re-reads the ack line before waiting but ignores what it read, so an ack landing just then is lost and both ends can wait forever"),
    ];
}
