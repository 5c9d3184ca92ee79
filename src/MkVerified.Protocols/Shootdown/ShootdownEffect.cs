namespace MkVerified.Protocols.Shootdown;

/// <summary>What a shootdown machine asks its core to do on a transition; the core's service performs effects in order.</summary>
public enum EffectKind
{
    /// <summary>Send the invalidation request to one core (a child in the tree).</summary>
    SendRequest,
    /// <summary>Write the request once into the shared broadcast channel.</summary>
    Broadcast,
    /// <summary>Acknowledge to the parent (or the initiator).</summary>
    SendAck,
    /// <summary>Invalidate the page in this core's TLB.</summary>
    Invalidate,
    /// <summary>Clear the page-table entry (unmap only).</summary>
    ClearEntry,
    /// <summary>Return the frame to the memory server (unmap only).</summary>
    FreeFrame,
    /// <summary>The operation returns to its caller.</summary>
    Complete,
}

public readonly record struct ShootdownEffect(EffectKind Kind, int Peer = -1);
