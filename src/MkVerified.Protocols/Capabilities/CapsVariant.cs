namespace MkVerified.Protocols.Capabilities;

/// <summary>Seeded bugs of capability replication, switched by configuration in the real service and machines.</summary>
public enum CapsVariant
{
    Correct,
    /// <summary>A core acks a revoke's mark while it still has a copy of a marked capability in flight.</summary>
    RevokeIgnoresInflightCopy,
    /// <summary>The owner approves a retype after checking only its own descendants, not the other cores'.</summary>
    RetypeSkipsRemoteDescendantCheck,
    /// <summary>A non-owner that deletes its last copy while the owner's delete is in progress runs the cleanup itself.</summary>
    LastCopyDoubleCleanup,
    /// <summary>A core asked to take ownership accepts although it deleted its copy meanwhile.</summary>
    MoveIgnoresDeletedTarget,
    /// <summary>A retype that fails its descendant check does not release the owner's lock.</summary>
    LockLeakOnPartialFailure,
    /// <summary>The owner starts a revoke without checking that the capability is already locked.</summary>
    RevokeIgnoresLock,
    /// <summary>The owner acks a revoke's mark while a retype of a marked capability still waits for its child to be created.</summary>
    MarkIgnoresRetypeInProgress,
    /// <summary>An operation refused because the capability is busy still runs the failure path's unlock, releasing the running operation's lock.</summary>
    BusyRefusalReleasesLock,
    /// <summary>The owner drops a core from its copy holders on that core's release although a copy to it is still in flight.</summary>
    ReleaseDropsInflightCopy,
    /// <summary>The owner hands ownership to a retriever while a revoke of the capability is running.</summary>
    RetrieveIgnoresRevoke,
    /// <summary>A core that becomes owner keeps only the old owner's descendant holders, not the registrations it accepted before.</summary>
    RetrieveDropsEarlyRegistration,
}

public static class CapsVariants
{
    public static IReadOnlyList<(string Name, CapsVariant Variant, string Breaks)> All { get; } =
    [
        ("revoke-ignores-inflight-copy", CapsVariant.RevokeIgnoresInflightCopy, "a core acks the mark with a copy in flight, so the copy lands after the sweep passed its target"),
        ("retype-skips-remote-descendant-check", CapsVariant.RetypeSkipsRemoteDescendantCheck, "the owner checks only local descendants, so two cores retype overlapping memory"),
        ("last-copy-double-cleanup", CapsVariant.LastCopyDoubleCleanup, "a non-owner deleting during the owner's delete also cleans up, so RAM is returned twice"),
        ("move-ignores-deleted-target", CapsVariant.MoveIgnoresDeletedTarget, "the new owner accepts without a copy, so the object vanishes without cleanup"),
        ("lock-leak-on-partial-failure", CapsVariant.LockLeakOnPartialFailure, "a failed retype keeps the owner's lock, so the capability stays busy forever"),
        ("revoke-ignores-lock", CapsVariant.RevokeIgnoresLock, "two revokes of one capability run at once and both complete"),
        ("mark-ignores-retype-in-progress", CapsVariant.MarkIgnoresRetypeInProgress, "the owner acks the mark with a retype approved but not yet done, so the child is created after the sweep passed its core"),
        ("busy-refusal-releases-lock", CapsVariant.BusyRefusalReleasesLock, "a refused operation unlocks the capability another operation holds, so a second retype runs alongside the first"),
        ("release-drops-inflight-copy", CapsVariant.ReleaseDropsInflightCopy, "the owner forgets a core that released its last copy while a new copy to it is in flight, so its relation set misses that copy"),
        ("retrieve-ignores-revoke", CapsVariant.RetrieveIgnoresRevoke, "the owner hands ownership to a retriever in the middle of a revoke, so the revoke's survivor and the swept retriever both claim it"),
        ("retrieve-drops-early-registration", CapsVariant.RetrieveDropsEarlyRegistration, "a retriever accepts a descendant copy's registration before it owns the object and forgets it, and the old owner sees it only after handing over, so no owner counts the copy's holder"),
    ];

    public static CapsVariant Parse(string name) =>
        name == "correct" ? CapsVariant.Correct
        : All.FirstOrDefault(v => v.Name == name) is { Name: not null } v ? v.Variant
        : throw new ArgumentException($"unknown capability variant '{name}'");
}
