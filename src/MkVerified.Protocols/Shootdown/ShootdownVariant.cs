namespace MkVerified.Protocols.Shootdown;

/// <summary>Seeded bugs of TLB shootdown and unmap, switched by configuration in the real machines.</summary>
public enum ShootdownVariant
{
    Correct,
    /// <summary>A responder acknowledges before it invalidates its TLB.</summary>
    AckBeforeInvalidate,
    /// <summary>An aggregation core acknowledges for its package before all its cores acknowledged.</summary>
    AggregatorAcksEarly,
    /// <summary>The tree leaves out one target core.</summary>
    TreeMissesACore,
    /// <summary>Unmap frees the frame before the shootdown completes.</summary>
    FreeBeforeShootdown,
    /// <summary>Unmap clears the page-table entry only after the TLBs were invalidated, so a walk can refill a stale entry.</summary>
    RefillFromStalePte,
    /// <summary>The page-table owner starts a forwarded map/unmap on arrival, even while another one is in progress.</summary>
    UnserializedOwner,
    /// <summary>
    /// The owner's own unmap skips its queue and frees the frame its application mapped there, without reading the
    /// entry (the unmap path before issue 12), so an unmap another core asked for earlier frees the frame too.
    /// </summary>
    OwnerUnmapBypassesQueue,
    /// <summary>
    /// The owner refuses an unmap of an already cleared entry as soon as the request arrives, even while the unmap that
    /// cleared it is still shooting down the TLBs, so "already unmapped" returns before every TLB dropped the page.
    /// </summary>
    RefuseUnmapOnArrival,
    /// <summary>
    /// Unmap sends its requests to the remote packages before it clears the page-table entry (to start their longer
    /// round trips early), the local ones after: a remote target can invalidate and then walk the still-valid entry.
    /// </summary>
    RemoteRequestsBeforeClear,
}

public static class ShootdownVariants
{
    public static IReadOnlyList<(string Name, ShootdownVariant Variant, string Breaks)> All { get; } =
    [
        ("ack-before-invalidate", ShootdownVariant.AckBeforeInvalidate, "a responder acks before invalidating, so unmap can return while a TLB still maps the page"),
        ("aggregator-acks-early", ShootdownVariant.AggregatorAcksEarly, "an aggregation core acks for its package before its cores invalidated"),
        ("tree-misses-a-core", ShootdownVariant.TreeMissesACore, "the multicast tree leaves out one target core, whose TLB is never invalidated"),
        ("free-before-shootdown", ShootdownVariant.FreeBeforeShootdown, "unmap frees the frame before the shootdown, so another core can still use it"),
        ("refill-from-stale-pte", ShootdownVariant.RefillFromStalePte, "the page-table entry is cleared after the TLBs are invalidated, so a walk refills a stale translation"),
    ];

    /// <summary>Seeded bugs of the owner's serialization of concurrent maps and unmaps (scenario <c>tlb-map-unmap</c>).</summary>
    public static IReadOnlyList<(string Name, ShootdownVariant Variant, string Breaks)> MapUnmap { get; } =
    [
        ("unserialized-owner", ShootdownVariant.UnserializedOwner, "the owner starts a map while an unmap's shootdown is still running, so the entry and the TLBs disagree with the last operation that returned"),
    ];

    /// <summary>Seeded bugs of concurrent unmaps of one page, the owner's own among them (scenario <c>tlb-double-unmap</c>).</summary>
    public static IReadOnlyList<(string Name, ShootdownVariant Variant, string Breaks)> DoubleUnmap { get; } =
    [
        ("double-free", ShootdownVariant.OwnerUnmapBypassesQueue, "the owner's own unmap bypasses its queue and frees the frame its application mapped, so after another core's unmap the frame is freed twice (or, when another unmap arrives during it, that one answers \"already unmapped\" before the shootdown ends)"),
        ("stale-translation", ShootdownVariant.RefuseUnmapOnArrival, "the owner answers an unmap of a cleared entry on arrival, so \"already unmapped\" returns while the first unmap's shootdown still runs and a TLB still maps the page"),
        // The responders' seeded bug of tlb-shootdown again: here it needs two preemptions at the right places (one to
        // let a core fill its TLB while the entry is valid, one between a responder's ack and its invalidation), and as
        // the rest of the shootdown (the other package's round trip) must run inside that window, random rarely hits it.
        ("ack-before-invalidate", ShootdownVariant.AckBeforeInvalidate, "a responder acks before invalidating, so the shootdown can finish and an unmap return while that responder's TLB still maps the page"),
        ("remote-requests-before-clear", ShootdownVariant.RemoteRequestsBeforeClear, "the unmap sends its remote requests before it clears the entry, so a remote core that has just invalidated can walk the still-valid entry and keep a translation of the unmapped page"),
    ];

    public static ShootdownVariant Parse(string name) =>
        name == "correct" ? ShootdownVariant.Correct
        : All.Concat(MapUnmap).Concat(DoubleUnmap).FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v.Variant
        : throw new ArgumentException($"unknown shootdown variant '{name}'");
}
