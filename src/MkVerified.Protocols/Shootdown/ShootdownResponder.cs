using Stateless;

namespace MkVerified.Protocols.Shootdown;

/// <summary>A leaf core: on the request, invalidate the local TLB entry, then acknowledge to its parent.</summary>
public sealed class ShootdownResponder
{
    public enum State { Idle, Acked }
    public enum Trigger { Request }

    private readonly StateMachine<State, Trigger> _machine;

    public ShootdownResponder(int parent, ShootdownVariant variant, List<ShootdownEffect> effects)
    {
        _machine = new StateMachine<State, Trigger>(State.Idle);
        _machine.Configure(State.Idle).Permit(Trigger.Request, State.Acked);
        _machine.Configure(State.Acked).OnEntry(() =>
        {
            if (variant == ShootdownVariant.AckBeforeInvalidate)
            {
                effects.Add(new(EffectKind.SendAck, parent)); // seeded bug: the ack overtakes the invalidation
                effects.Add(new(EffectKind.Invalidate));
            }
            else
            {
                effects.Add(new(EffectKind.Invalidate));
                effects.Add(new(EffectKind.SendAck, parent));
            }
        });
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Request() => _machine.Fire(Trigger.Request);
}
