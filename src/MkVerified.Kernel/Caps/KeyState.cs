namespace MkVerified.Kernel.Caps;

/// <summary>
/// What one core knows about an object it holds copies of (Barrelfish's distcaps state): the owner core, the lock
/// and in-delete flags, the revoke mark, and the remote-relation bits. The bits are authoritative only on the owner,
/// where they may claim a remote relation that no longer exists but never miss one that does.
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
    /// <summary>Copies may exist on other cores.</summary>
    public bool RemoteCopies { get; set; }
    /// <summary>Descendants may exist on other cores.</summary>
    public bool RemoteDescs { get; set; }

    public bool Busy => Locked || InDelete || Marked;
}
