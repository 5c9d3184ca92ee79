using MkVerified.Kernel.Caps;

namespace MkVerified.Protocols.Capabilities;

/// <summary>Checker hooks (never protocol logic): the ghost state of copies and ownership in flight, and the checked events.</summary>
public interface ICapsObserver
{
    void CopySent(CapKey key, int to);
    void CopyArrived(CapKey key, int to);
    /// <summary>A core gave up ownership of <paramref name="key"/> in a message (move, revoke hand-over, refusal).</summary>
    void OwnershipSent(CapKey key);
    void OwnershipReceived(CapKey key);
    /// <summary>A retype is about to create <paramref name="child"/> from <paramref name="source"/> on <paramref name="core"/>.</summary>
    void Creating(int core, CapKey source, CapKey child);
    void RamReturned(int core, CapKey ram);
    void RevokeCompleted(int core, int slot, CapKey key);
}
