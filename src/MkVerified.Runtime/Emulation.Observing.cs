namespace MkVerified.Runtime;

// What a run shows to those who watch it: exploration's step observer and after-step invariant, and the events
// recorded for traces.
public sealed partial class Emulation
{
    private List<TraceEvent>? _events;
    private readonly Lock _recordLock = new();

    /// <summary>Sees the lines each step touches (exhaustive exploration's partial-order reduction); null: off.</summary>
    public IStepObserver? Observer { get; set; }

    /// <summary>
    /// Called after every scheduling step (exploration invariants). Must not touch memory through a core. While it is set,
    /// partial-order reduction takes no two steps for independent (<see cref="IStepObserver.InvariantLine"/>).
    /// </summary>
    public Action? AfterStep { get; set; }

    /// <summary>Records events (messages, transitions) for traces; off by default so emulation stays fast.</summary>
    public void RecordEvents() => _events ??= [];

    public bool IsRecording => _events is not null;

    internal void Record(EmulatedCore core, string kind, int peer, string detail) =>
        _events?.Add(new TraceEvent(Steps, core.Id, core.Clock, kind, peer, detail));

    /// <summary>Host threads record concurrently: one at a time, in the order they get the lock.</summary>
    internal void RecordFromHost(int core, long clock, string kind, int peer, string detail)
    {
        lock (_recordLock) _events?.Add(new TraceEvent(0, core, clock, kind, peer, detail));
    }

    /// <summary>
    /// The running core changed private state that checks on other cores read (a TLB fill or invalidation, a lock of
    /// its monitor, a report to a checker's ledger): not a memory access nor a scheduling point, but shown to the step
    /// observer as a write, so partial-order reduction orders the change against those checks.
    /// </summary>
    public void PrivateStateChanged()
    {
        if (Observer is { } observer && _current is { } core) observer.Accessed(core.Id, IStepObserver.PrivateStateLine(core.Id), write: true);
    }

    /// <summary>
    /// A check running in the current core's step reads <paramref name="core"/>'s private state: shown to the
    /// step observer as a read, so partial-order reduction orders the check against the core's changes of that state.
    /// </summary>
    public void CheckReadsPrivateState(int core)
    {
        if (_current is { } checker) Observer?.Accessed(checker.Id, IStepObserver.PrivateStateLine(core), write: false);
    }
}
