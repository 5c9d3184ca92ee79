using MkVerified.Kernel.Caps;
using Stateless;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The owner sending a copy to another core: with the capability locked (so no delete, retype or revoke of it can
/// start), first - when ancestors may be owned elsewhere - have every member record the destination as a holder of
/// descendants of the ancestors it owns (a busy ancestor refuses, and the copy answers Retry); then deliver the copy
/// and wait for the destination to insert it; then unlock and answer.
/// </summary>
public sealed class CopyCoordinator
{
    public enum State { Idle, Registering, Delivering, Done }
    public enum Trigger { Start, Registered, Delivered }

    private readonly StateMachine<State, Trigger> _machine;
    private readonly StateMachine<State, Trigger>.TriggerWithParameters<bool> _registered;
    private readonly StateMachine<State, Trigger>.TriggerWithParameters<CapResult> _delivered;
    private int _pending;
    private bool _refused;

    /// <param name="registrations">How many members must record the destination first (0: no ancestor elsewhere).</param>
    /// <param name="register">Asks those members to record it.</param>
    public CopyCoordinator(int registrations, Action register, Action deliver, Action<CapResult> done)
    {
        _machine = new StateMachine<State, Trigger>(State.Idle);
        _registered = _machine.SetTriggerParameters<bool>(Trigger.Registered);
        _delivered = _machine.SetTriggerParameters<CapResult>(Trigger.Delivered);
        _machine.Configure(State.Idle)
            .PermitIf(Trigger.Start, State.Registering, () => registrations > 0, "ancestors owned elsewhere")
            .PermitIf(Trigger.Start, State.Delivering, () => registrations == 0, "no ancestor elsewhere");
        _machine.Configure(State.Registering)
            .OnEntry(() => { _pending = registrations; register(); })
            .InternalTransitionIf(_registered, _ => _pending > 1, (busy, _) => { _pending--; _refused |= busy; }, "more acks due")
            .PermitIf(_registered, State.Delivering, busy => _pending == 1 && !(_refused || busy), "all recorded")
            .PermitIf(_registered, State.Done, busy => _pending == 1 && (_refused || busy), "an ancestor is busy");
        _machine.Configure(State.Delivering).OnEntry(deliver).Permit(Trigger.Delivered, State.Done);
        _machine.Configure(State.Done)
            .OnEntryFrom(_delivered, done)
            .OnEntryFrom(_registered, _ => done(CapResult.Retry));
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Start() => _machine.Fire(Trigger.Start);
    public void Registered(bool busy) => _machine.Fire(_registered, busy);
    public void Delivered(CapResult result) => _machine.Fire(_delivered, result);
}
