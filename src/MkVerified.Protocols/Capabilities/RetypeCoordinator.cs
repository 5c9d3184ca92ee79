using MkVerified.Kernel.Caps;
using Stateless;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The owner's side of a retype: with the source locked, check for descendants overlapping the new range here and,
/// when descendants may exist elsewhere, ask every member; then approve (the requester creates the child and
/// confirms, and only then the lock goes) or refuse with Overlap.
/// </summary>
public sealed class RetypeCoordinator
{
    public enum State { Checking, Querying, AwaitingCreation, Done }
    public enum Trigger { LocalCheck, QueryReply, Created }

    private readonly StateMachine<State, Trigger> _machine;
    private readonly StateMachine<State, Trigger>.TriggerWithParameters<bool> _localCheck;
    private readonly StateMachine<State, Trigger>.TriggerWithParameters<bool> _queryReply;
    private int _pending;
    private bool _overlap;

    /// <param name="approve">Grants the retype; returns true when the requester is this core and the child exists already.</param>
    public RetypeCoordinator(int others, bool askOthers, Action query, Func<bool> approve, Action<CapResult> done)
    {
        _machine = new StateMachine<State, Trigger>(State.Checking);
        _localCheck = _machine.SetTriggerParameters<bool>(Trigger.LocalCheck);
        _queryReply = _machine.SetTriggerParameters<bool>(Trigger.QueryReply);
        _machine.Configure(State.Checking)
            .PermitIf(_localCheck, State.Done, o => o, "overlap here")
            .PermitIf(_localCheck, State.Querying, o => !o && askOthers && others > 0, "ask the others")
            .PermitIf(_localCheck, State.AwaitingCreation, o => !o && !(askOthers && others > 0), "no remote descendants");
        _machine.Configure(State.Querying)
            .OnEntry(() => { _pending = others; query(); })
            .InternalTransitionIf(_queryReply, _ => _pending > 1, (o, _) => { _pending--; _overlap |= o; }, "more replies due")
            .PermitIf(_queryReply, State.Done, o => _pending == 1 && (_overlap || o), "overlap elsewhere")
            .PermitIf(_queryReply, State.AwaitingCreation, o => _pending == 1 && !(_overlap || o), "no overlap anywhere");
        _machine.Configure(State.AwaitingCreation)
            .OnEntry(() => { if (approve()) _machine.Fire(Trigger.Created); })
            .Permit(Trigger.Created, State.Done);
        _machine.Configure(State.Done)
            .OnEntryFrom(_localCheck, _ => done(CapResult.Overlap))
            .OnEntryFrom(_queryReply, _ => done(CapResult.Overlap))
            .OnEntryFrom(Trigger.Created, () => done(CapResult.Ok));
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Start(bool overlapHere) => _machine.Fire(_localCheck, overlapHere);
    public void Replied(bool overlap) => _machine.Fire(_queryReply, overlap);
    public void ChildCreated() => _machine.Fire(Trigger.Created);
}
