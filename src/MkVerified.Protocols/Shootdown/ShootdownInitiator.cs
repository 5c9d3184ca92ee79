using Stateless;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// The initiating core of a shootdown (or unmap): clear the entry (unmap) and invalidate locally, send the request down
/// the tree (or broadcast it), collect one ack per child, then free the frame (unmap) and complete. The local
/// invalidation comes before the sends because in Barrelfish it is part of the kernel call that clears the entry (the
/// CPU driver's unmap flushes its own TLB before returning), as it is in Linux's <c>flush_tlb_page</c> (local flush,
/// then the IPIs) and in <see cref="IpiShootdown"/>.
/// </summary>
public sealed class ShootdownInitiator
{
    public enum State { Idle, AwaitingAcks, Done }
    public enum Trigger { Start, ChildAck }

    private readonly StateMachine<State, Trigger> _machine;
    private int _pendingAcks;

    /// <param name="isRemote">Whether a child is in another package than the initiator (only the seeded <see cref="ShootdownVariant.RemoteRequestsBeforeClear"/> asks).</param>
    public ShootdownInitiator(IReadOnlyList<int> children, bool broadcast, bool unmap, ShootdownVariant variant, List<ShootdownEffect> effects, Func<int, bool>? isRemote = null)
    {
        _pendingAcks = children.Count;
        // Seeded bug (remote-requests-before-clear): the requests to remote packages go out before the entry is cleared,
        // to start their longer round trips early; a remote target can then invalidate and walk the still-valid entry.
        List<int> early = unmap && !broadcast && variant == ShootdownVariant.RemoteRequestsBeforeClear && isRemote is not null ? [.. children.Where(isRemote)] : [];
        _machine = new StateMachine<State, Trigger>(State.Idle);
        _machine.Configure(State.Idle)
            .PermitIf(Trigger.Start, State.AwaitingAcks, () => children.Count > 0, "targets")
            .PermitIf(Trigger.Start, State.Done, () => children.Count == 0, "no targets");
        _machine.Configure(State.AwaitingAcks)
            .OnEntry(() =>
            {
                if (unmap && variant == ShootdownVariant.FreeBeforeShootdown) effects.Add(new(EffectKind.FreeFrame));
                foreach (var child in early) effects.Add(new(EffectKind.SendRequest, child));
                if (unmap && variant != ShootdownVariant.RefillFromStalePte) effects.Add(new(EffectKind.ClearEntry));
                effects.Add(new(EffectKind.Invalidate));
                if (broadcast) effects.Add(new(EffectKind.Broadcast));
                else foreach (var child in children) if (!early.Contains(child)) effects.Add(new(EffectKind.SendRequest, child));
            })
            .InternalTransitionIf(Trigger.ChildAck, _ => _pendingAcks > 1, _ => _pendingAcks--, "more acks due")
            .PermitIf(Trigger.ChildAck, State.Done, () => _pendingAcks == 1, "last ack");
        _machine.Configure(State.Done)
            .OnEntry(() =>
            {
                if (children.Count == 0)
                {
                    if (unmap) effects.Add(new(EffectKind.ClearEntry));
                    effects.Add(new(EffectKind.Invalidate));
                }
                else if (unmap && variant == ShootdownVariant.RefillFromStalePte) effects.Add(new(EffectKind.ClearEntry));
                if (unmap && variant != ShootdownVariant.FreeBeforeShootdown) effects.Add(new(EffectKind.FreeFrame));
                effects.Add(new(EffectKind.Complete));
            })
            .Ignore(Trigger.ChildAck);
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Start() => _machine.Fire(Trigger.Start);
    public void ChildAcked() => _machine.Fire(Trigger.ChildAck);
}
