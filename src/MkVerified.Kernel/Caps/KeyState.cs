namespace MkVerified.Kernel.Caps;

/// <summary>
/// What one core knows about an object it holds copies of (Barrelfish's distcaps state): the owner core, the lock
/// and in-delete flags, the revoke mark, and the remote relations. The relation sets are authoritative only on the
/// owner, where they may name a core that no longer holds anything related but never miss one that does (a non-owner
/// records the descendant copies registered with it, and keeps them if it becomes the owner); the remote-ancestors bit is kept by every holder (the owner of the copy consults it when copying).
/// </summary>
public sealed class KeyState(int owner)
{
    public int Owner { get; set; } = owner;
    /// <summary>The owner runs a multi-core operation on the object; others get Retry.</summary>
    public bool Locked { get; set; }
    /// <summary>The owner is deleting its last copy (set on the owner; holders hear it through the delete's query).</summary>
    public bool InDelete { get; set; }
    /// <summary>A revoke of this object or an ancestor passed its mark phase here: no new operation may start.</summary>
    public bool Marked { get; set; }
    /// <summary>This core handed ownership to a retriever and waits for the new owner's update (others get Retry).</summary>
    public bool HandingOver { get; set; }
    /// <summary>Other cores that may hold copies (Barrelfish's RRELS_COPY_BIT, per core).</summary>
    public CoreSet CopyHolders { get; set; }
    /// <summary>Other cores that may hold descendants (Barrelfish's RRELS_DESC_BIT, per core).</summary>
    public CoreSet DescHolders { get; set; }
    /// <summary>An ancestor may be owned by another core (Barrelfish's RRELS_ANCS_BIT): a copy must tell the ancestors' owners.</summary>
    public bool RemoteAncestors { get; set; }

    public bool RemoteCopies => !CopyHolders.IsEmpty;
    public bool RemoteDescs => !DescHolders.IsEmpty;

    /// <summary>The cores an operation on the whole relation tree must reach: copy and descendant holders.</summary>
    public CoreSet Related => CopyHolders.Union(DescHolders);

    public bool Busy => Locked || InDelete || Marked || HandingOver;
}
