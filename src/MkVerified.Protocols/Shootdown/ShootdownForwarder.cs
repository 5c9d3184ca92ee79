using Stateless;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// An aggregation core of a multicast tree: on the request, forward it to its children and invalidate locally;
/// acknowledge to its parent once every child acknowledged (so one ack stands for the whole package).
/// </summary>
public sealed class ShootdownForwarder
{
    public enum State { Idle, AwaitingChildAcks, Acked }
    public enum Trigger { Request, ChildAck }

    private readonly StateMachine<State, Trigger> _machine;
    private int _pendingAcks;

    public ShootdownForwarder(int parent, IReadOnlyList<int> children, ShootdownVariant variant, List<ShootdownEffect> effects)
    {
        if (children.Count == 0) throw new ArgumentException("a forwarder has children; use a responder for a leaf");
        _pendingAcks = children.Count;
        var acksEarly = variant == ShootdownVariant.AggregatorAcksEarly;
        _machine = new StateMachine<State, Trigger>(State.Idle);
        _machine.Configure(State.Idle)
            .Permit(Trigger.Request, State.AwaitingChildAcks);
        _machine.Configure(State.AwaitingChildAcks)
            .OnEntryFrom(Trigger.Request, () =>
            {
                foreach (var child in children) effects.Add(new(EffectKind.SendRequest, child));
                effects.Add(new(EffectKind.Invalidate));
                if (acksEarly) effects.Add(new(EffectKind.SendAck, parent)); // seeded bug: speaks for children not yet done
            })
            .InternalTransitionIf(Trigger.ChildAck, _ => _pendingAcks > 1, _ => _pendingAcks--, "more acks due")
            .PermitIf(Trigger.ChildAck, State.Acked, () => _pendingAcks == 1, "last child acked");
        _machine.Configure(State.Acked)
            .OnEntry(() => { if (!acksEarly) effects.Add(new(EffectKind.SendAck, parent)); })
            .Ignore(Trigger.ChildAck);
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Request() => _machine.Fire(Trigger.Request);
    public void ChildAcked() => _machine.Fire(Trigger.ChildAck);
}
