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

    public static ShootdownVariant Parse(string name) =>
        name == "correct" ? ShootdownVariant.Correct
        : All.FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v.Variant
        : throw new ArgumentException($"unknown shootdown variant '{name}'");
}
