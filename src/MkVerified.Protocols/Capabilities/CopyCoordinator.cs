using MkVerified.Kernel.Caps;
using Stateless;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The owner sending a copy to another core: with the capability locked (so no delete, retype or revoke of it can
/// start), deliver the copy and wait for the destination to insert it; then unlock and answer.
/// </summary>
public sealed class CopyCoordinator
{
    public enum State { Idle, Delivering, Done }
    public enum Trigger { Start, Delivered }

    private readonly StateMachine<State, Trigger> _machine;
    private readonly StateMachine<State, Trigger>.TriggerWithParameters<CapResult> _delivered;

    public CopyCoordinator(Action deliver, Action<CapResult> done)
    {
        _machine = new StateMachine<State, Trigger>(State.Idle);
        _delivered = _machine.SetTriggerParameters<CapResult>(Trigger.Delivered);
        _machine.Configure(State.Idle).Permit(Trigger.Start, State.Delivering);
        _machine.Configure(State.Delivering).OnEntry(deliver).Permit(Trigger.Delivered, State.Done);
        _machine.Configure(State.Done).OnEntryFrom(_delivered, done);
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Start() => _machine.Fire(Trigger.Start);
    public void Delivered(CapResult result) => _machine.Fire(_delivered, result);
}
