using Stateless;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The owner deleting its last local copy: ask the members whether they hold copies or descendants; if one holds a
/// copy, move ownership to it (a refusal - its copy went meanwhile - restarts the query); if none does, the object's
/// last copy is going: run the type's cleanup once (unless descendants still hold the memory) and drop it.
/// </summary>
public sealed class DeleteCoordinator
{
    public enum State { Idle, Querying, Moving, Done }
    public enum Trigger { Start, QueryReply, MoveAccepted, MoveRefused }

    private readonly StateMachine<State, Trigger> _machine;
    private readonly StateMachine<State, Trigger>.TriggerWithParameters<int, bool> _reply;
    private readonly List<int> _holders = [];
    private int _pending;
    private bool _descendants;

    /// <param name="query">Sends the query to every other member .</param>
    /// <param name="move">Offers ownership to a core that holds a copy.</param>
    /// <param name="last">The last copy goes: cleanup (with or without descendants) then drop.</param>
    /// <param name="moved">Ownership moved: drop the local copy.</param>
    public DeleteCoordinator(int others, Action query, Action<int> move, Action<bool> last, Action moved)
    {
        if (others == 0) throw new ArgumentException("with no other member the last copy is local: no query to run");
        _machine = new StateMachine<State, Trigger>(State.Idle);
        _reply = _machine.SetTriggerParameters<int, bool>(Trigger.QueryReply);
        _machine.Configure(State.Idle).Permit(Trigger.Start, State.Querying);
        _machine.Configure(State.Querying)
            .OnEntry(() => { _holders.Clear(); _descendants = false; _pending = others; query(); })
            .InternalTransitionIf(_reply, (_, _) => _pending > 1, (holder, desc, _) => { _pending--; Note(holder, desc); }, "more replies due")
            .PermitIf(_reply, State.Moving, (holder, desc) => _pending == 1 && (_holders.Count > 0 || holder >= 0), "a copy remains elsewhere")
            .PermitIf(_reply, State.Done, (holder, desc) => _pending == 1 && _holders.Count == 0 && holder < 0, "no copy elsewhere");
        _machine.Configure(State.Moving)
            .OnEntryFrom(_reply, (holder, desc) => { Note(holder, desc); move(_holders.Min()); })
            .Permit(Trigger.MoveAccepted, State.Done)
            .Permit(Trigger.MoveRefused, State.Querying);
        _machine.Configure(State.Done)
            .OnEntryFrom(_reply, (holder, desc) => { Note(holder, desc); last(_descendants); })
            .OnEntryFrom(Trigger.MoveAccepted, moved);
    }

    public State Current => _machine.State;
    public StateMachine<State, Trigger> Machine => _machine;

    public void Start() => _machine.Fire(Trigger.Start);

    public void Replied(int holder, bool descendants) => _machine.Fire(_reply, holder, descendants);
    public void MoveAccepted() => _machine.Fire(Trigger.MoveAccepted);
    public void MoveRefused() => _machine.Fire(Trigger.MoveRefused);

    private void Note(int holder, bool descendants)
    {
        if (holder >= 0) _holders.Add(holder);
        _descendants |= descendants;
    }
}
