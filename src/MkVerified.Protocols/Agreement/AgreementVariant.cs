namespace MkVerified.Protocols.Agreement;

/// <summary>Seeded bugs, switched on in the real code by configuration (never copies of it).</summary>
public enum AgreementVariant
{
    Correct,
    /// <summary>The coordinator commits as soon as its own vote and one child's yes are in.</summary>
    CommitOnFirstYes,
    /// <summary>A forwarder replies up (votes and acks) once its own reply and one child's are in.</summary>
    AggregatorForwardsEarly,
    /// <summary>A participant releases its lock on commit but not on abort.</summary>
    AbortKeepsLock,
    /// <summary>A forwarder keeps one slot for child replies: each overwrites the last, which is then counted once per child.</summary>
    LostVoteDoubleCount,
}

public static class AgreementVariants
{
    public static IReadOnlyList<(string Name, AgreementVariant Variant, string Breaks)> All { get; } =
    [
        ("commit-on-first-yes", AgreementVariant.CommitOnFirstYes, "commit only if every participant voted yes"),
        ("aggregator-forwards-early", AgreementVariant.AggregatorForwardsEarly, "a forwarder replies up only when all its children did"),
        ("abort-keeps-lock", AgreementVariant.AbortKeepsLock, "no participant stays locked after its agreement ends"),
        ("lost-vote-double-count", AgreementVariant.LostVoteDoubleCount, "tree aggregation counts every vote exactly once"),
    ];

    public static AgreementVariant Parse(string name) =>
        name == "correct" ? AgreementVariant.Correct
        : All.FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v.Variant
        : throw new ArgumentException($"unknown agreement variant '{name}' (correct, {string.Join(", ", All.Select(a => a.Name))})");
}
