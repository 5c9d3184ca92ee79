using Stateless;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The owner's side of a revoke, a two-phase mark and sweep: every member (itself included) marks the copies and
/// descendants it holds and acks once none of them has an operation in progress; then every member sweeps them
/// (keeping the revoking copy) and acks; then the revoke completes.
/// </summary>
public sealed class RevokeCoordinator
{
    public enum State { Marking, Sweeping, Done }
    public enum Trigger { MarkAck, SweepAck }

    private readonly StateMachine<State, Trigger> _machine;
    private int _pending;

    public RevokeCoordinator(int others, Action sweep, Action done)
    {
        _pending = others + 1; // the owner's own mark counts as one ack
        _machine = new StateMachine<State, Trigger>(State.Marking);
        _machine.Configure(State.Marking)
            .InternalTransitionIf(Trigger.MarkAck, _ => _pending > 1, _ => _pending--, "more marks due")
            .PermitIf(Trigger.MarkAck, State.Sweeping, () => _pending == 1 && others > 0, "all marked")
            .PermitIf(Trigger.MarkAck, State.Done, () => _pending == 1 && others == 0, "all marked, alone");
        _machine.Configure(State.Sweeping)
            .OnEntry(() => { _pending = others; sweep(); })
            .InternalTransitionIf(Trigger.SweepAck, _ => _pending > 1, _ => _pending--, "more sweeps due")
            .PermitIf(Trigger.SweepAck, State.Done, () => _pending == 1, "all swept");
        _machine.Configure(State.Done)
            .OnEntryFrom(Trigger.MarkAck, () => { sweep(); done(); })
            .OnEntryFrom(Trigger.SweepAck, done);
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void MarkAcked() => _machine.Fire(Trigger.MarkAck);
    public void SweepAcked() => _machine.Fire(Trigger.SweepAck);
}
