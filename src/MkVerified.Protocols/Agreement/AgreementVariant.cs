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
    /// <summary>
    /// A participant whose object is locked by a lower-priority agreement that has voted yes (its decision still in
    /// flight) hands the lock to the higher-priority newcomer at once instead of making it wait.
    /// </summary>
    GrantBeforeDecision,
    /// <summary>Conflicts are won by the higher instance id (coordinator core first): the rule before tickets, which can starve a low core.</summary>
    FixedPriority,
}

public static class AgreementVariants
{
    public static IReadOnlyList<(string Name, AgreementVariant Variant, string Breaks)> All { get; } =
    [
        ("commit-on-first-yes", AgreementVariant.CommitOnFirstYes, "the coordinator commits on its own vote and one child's yes, so it can commit although a participant voted no"),
        ("aggregator-forwards-early", AgreementVariant.AggregatorForwardsEarly, "a forwarder replies up once its own reply and one child's are in, speaking for children that have not answered"),
        ("abort-keeps-lock", AgreementVariant.AbortKeepsLock, "a participant releases its lock on commit but not on abort, so a lock outlives its agreement"),
        ("lost-vote-double-count", AgreementVariant.LostVoteDoubleCount, "a forwarder keeps one slot for child replies, so one vote overwrites another and is counted twice"),
    ];

    /// <summary>The variants of scenario agreement-fairness.</summary>
    public static IReadOnlyList<(string Name, AgreementVariant Variant, string Breaks)> Fairness { get; } =
    [
        ("fixed-priority", AgreementVariant.FixedPriority, "conflicts are won by the higher coordinator core, so a low core's operation loses to every operation of a busy high core and never commits"),
        ("grant-before-decision", AgreementVariant.GrantBeforeDecision, "a participant hands a locked object to a higher-priority agreement while the holder's decision is still in flight, so two commits on the object overlap"),
    ];

    public static AgreementVariant Parse(string name) =>
        name == "correct" ? AgreementVariant.Correct
        : All.Concat(Fairness).FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v.Variant
        : throw new ArgumentException($"unknown agreement variant '{name}' (correct, {string.Join(", ", All.Concat(Fairness).Select(a => a.Name))})");
}
