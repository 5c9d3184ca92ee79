using System.Text;
using MkVerified.Hardware;
using MkVerified.Runtime.Host;

namespace MkVerified.Runtime;

/// <summary>
/// One emulated machine run: N logical cores as coroutines over modeled shared memory, driven by one scheduler.
/// Without a pick policy it is the cycle scheduler (deterministic discrete events: the core with the lowest clock
/// runs next, ties by id); with one, every memory access is a scheduling point whose next core the policy picks
/// (exploration). The code running on the cores is the same either way; it is the same again on host threads
/// (<see cref="OnHostThreads"/>): each core an OS thread on a real CPU, over real memory, timed in real time.
/// </summary>
public sealed partial class Emulation
{
    private readonly EmulatedCore[] _cores;
    private readonly CoreContext[] _contexts;
    private readonly IPickPolicy? _policy;
    private readonly CoreHeap _heap = new();
    private readonly List<int> _runnable = []; // exploration mode: runnable cores other than the current, ascending
    private int[] _candidates = new int[8];
    private EmulatedCore? _current;
    private int _next = -1;
    private bool _stopRequested;
    private readonly HostMachine? _host;

    public Emulation(Topology topology, IPickPolicy? policy = null) : this(topology, policy, null)
    {
    }

    private Emulation(Topology topology, IPickPolicy? policy, HostThreadsOptions? host)
    {
        Topology = topology;
        Memory = new SharedMemory(topology);
        _policy = policy;
        _cores = new EmulatedCore[topology.CoreCount];
        _contexts = new CoreContext[topology.CoreCount];
        if (host is not null)
        {
            _host = new HostMachine(this, host);
            Memory.StepsAreIndivisible = false;
        }
        for (var i = 0; i < _cores.Length; i++)
        {
            _cores[i] = new EmulatedCore(this, i);
            _contexts[i] = new CoreContext(this, _host is null ? _cores[i] : _host.Core(i));
        }
    }

    /// <summary>
    /// A run of <paramref name="topology"/>'s cores as OS threads on host CPUs (the threads backend): same setup, same
    /// core code, but memory is real, accesses never suspend, and clocks read real time in nominal-clock cycles.
    /// </summary>
    public static Emulation OnHostThreads(Topology topology, HostThreadsOptions? options = null) => new(topology, null, options ?? new HostThreadsOptions());

    /// <summary>True for the threads backend (<see cref="OnHostThreads"/>).</summary>
    public bool OnHost => _host is not null;

    /// <summary>The threads backend's placement of cores on host CPUs (pinned or not), after a run; null in emulation.</summary>
    public HostPlacement? HostPlacement => _host?.Placement;

    public Topology Topology { get; }
    public SharedMemory Memory { get; }
    public bool IsExploring => _policy is not null;
    public long Steps { get; private set; }
    public int CoreCount => _cores.Length;
    public IReadOnlyList<TraceEvent> Events => (IReadOnlyList<TraceEvent>?)_events ?? [];

    /// <summary>
    /// Asks the run to stop at the end of the current step (an exhaustive search abandons a redundant schedule); the
    /// run then returns <see cref="RunStatus.Stopped"/>. The policy should pick another core than the current one so
    /// the step ends soon.
    /// </summary>
    public void RequestStop() => _stopRequested = true;

    public bool StopRequested => _stopRequested;

    public EmulatedCore CoreState(int id) => _cores[id];
    public CoreContext Context(int id) => _contexts[id];

    /// <summary>The kind of the event recorded when a core's code throws (a failed safety check): its detail is the message.</summary>
    public const string FailedCheckKind = "check-failed";

    /// <summary>
    /// Starts <paramref name="body"/> on core <paramref name="core"/> at cycle <paramref name="startCycle"/> (or at its
    /// clock, if later). One body per core at a time: a core whose body has finished may be started again, keeping its
    /// clock and whatever lines its cache holds, so a test can drive a protocol one operation at a time.
    /// </summary>
    public void Start(int core, Func<CoreContext, CoreTask> body, long startCycle = 0)
    {
        if (_host is not null)
        {
            _host.Start(core, body, _contexts[core]);
            return;
        }
        var c = _cores[core];
        if (c.Status is not (CoreStatus.Idle or CoreStatus.Done)) throw new InvalidOperationException($"core {core} already runs a body");
        c.Clock = Math.Max(c.Clock, startCycle);
        var ctx = _contexts[core];
        c.Continuation = () => c.Body = body(ctx);
        MakeRunnable(c);
    }

    /// <summary>
    /// The step budget of a run that names none: far above any workload of the experiments (the largest, caps on 32
    /// cores, takes about 210,000 steps) yet reached within a minute or two, so a core that spins forever ends the run
    /// as <see cref="RunStatus.StepLimit"/> with each core's state instead of hanging the program.
    /// </summary>
    public const long DefaultMaxSteps = 1L << 28;

    /// <summary>
    /// A core that keeps the lowest clock (or that the policy keeps picking) goes on without a step: a run may make this
    /// many scheduling points (memory accesses) per step of its budget, so a lone core spinning on its cached copy is
    /// bounded too.
    /// </summary>
    public const long PointsPerStep = 64;

    private long _pointLimit = long.MaxValue;

    /// <summary>Scheduling points (memory accesses and bursts) so far, in every run of this emulation.</summary>
    public long Points { get; private set; }

    /// <summary>
    /// Runs until every body returns, the machine is quiescent or deadlocked, or <paramref name="maxSteps"/> steps (or
    /// <see cref="PointsPerStep"/> times as many scheduling points) pass; the budgets count from the emulation's start.
    /// </summary>
    /// <remarks>On host threads the budget is the time limit of <see cref="HostThreadsOptions"/>, not steps.</remarks>
    public RunOutcome Run(long maxSteps = DefaultMaxSteps)
    {
        if (_host is not null) return _host.Run();
        _pointLimit = maxSteps > long.MaxValue / PointsPerStep ? long.MaxValue : maxSteps * PointsPerStep;
        var saved = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null); // cores are resumed only here, never posted elsewhere
        try
        {
            while (true)
            {
                if (_stopRequested) return Outcome(RunStatus.Stopped);
                if (Steps >= maxSteps || Points >= _pointLimit) return Outcome(RunStatus.StepLimit);
                var core = TakeNext();
                if (core is null) return Finish();
                Resume(core);
                Steps++;
                if (AfterStep is { } invariant)
                {
                    // The invariant reads every core's state after every step, and which steps change what it reads is
                    // not known: for partial-order reduction no two steps are independent then (a reduced search would
                    // skip the states between reordered steps, where the invariant may fail).
                    Observer?.Accessed(core.Id, IStepObserver.InvariantLine, write: true);
                    invariant();
                }
            }
        }
        finally
        {
            _current = null;
            SynchronizationContext.SetSynchronizationContext(saved);
        }
    }

    private EmulatedCore? TakeNext()
    {
        if (_policy is null) return _heap.Count == 0 ? null : _heap.Pop();
        if (_next >= 0)
        {
            var chosen = _next;
            _next = -1;
            _runnable.Remove(chosen);
            return _cores[chosen];
        }
        if (_runnable.Count == 0) return null;
        var index = 0;
        if (_runnable.Count > 1)
        {
            var span = Candidates(_runnable, -1);
            index = _policy.Pick(span, -1);
        }
        var id = _runnable[index];
        _runnable.RemoveAt(index);
        return _cores[id];
    }

    private void Resume(EmulatedCore core)
    {
        _current = core;
        Observer?.Ran(core.Id);
        core.Status = CoreStatus.Running;
        var k = core.Continuation!;
        core.Continuation = null;
        k();
        if (core.Status != CoreStatus.Running) return; // suspended at a scheduling point or blocked
        if (core.Body is { IsCompleted: true } body)
        {
            core.Status = CoreStatus.Done;
            // A failed check on a core is recorded where it happened, so a trace shows its core and cycle.
            if (body.Error is not null) Record(core, FailedCheckKind, -1, body.Error.Message.ReplaceLineEndings(" "));
            body.ThrowIfFaulted();
            return;
        }
        throw new InvalidOperationException($"core {core.Id} awaited something other than an emulator operation; core code may await only CoreTask and CoreContext operations");
    }

    private RunOutcome Finish()
    {
        var blocked = _cores.Where(c => c.Status == CoreStatus.Blocked).ToList();
        if (blocked.Count == 0) return Outcome(RunStatus.Completed);
        return Outcome(blocked.All(c => c.IdleWait) ? RunStatus.Quiescent : RunStatus.Deadlock);
    }

    private RunOutcome Outcome(RunStatus status)
    {
        var maxClock = _cores.Max(c => c.Clock);
        var report = new StringBuilder();
        if (status is RunStatus.Deadlock or RunStatus.StepLimit)
        {
            report.Append(status == RunStatus.Deadlock ? "deadlock: every core waits and no write is pending;" : $"step limit reached after {Steps} steps and {Points} memory accesses;");
            foreach (var c in _cores.Where(c => c.Status is not (CoreStatus.Idle or CoreStatus.Done)))
                report.Append($" core {c.Id} {c.Status.ToString().ToLowerInvariant()} at cycle {c.Clock}{(c.WaitingFor.Length > 0 ? $" waiting for {c.WaitingFor}" : "")}{(c.IdleWait ? " (idle)" : "")};");
        }
        return new RunOutcome(status, Steps, maxClock, report.ToString().TrimEnd(';'));
    }

    private ReadOnlySpan<int> Candidates(List<int> others, int current)
    {
        var n = others.Count + (current >= 0 ? 1 : 0);
        if (_candidates.Length < n) _candidates = new int[n * 2];
        var k = 0;
        var placed = current < 0;
        foreach (var id in others)
        {
            if (!placed && current < id)
            {
                _candidates[k++] = current;
                placed = true;
            }
            _candidates[k++] = id;
        }
        if (!placed) _candidates[k++] = current;
        return _candidates.AsSpan(0, n);
    }

    // ---- scheduling points (called by the awaitables of CoreContext) ----

    /// <summary>May the current core go on without yielding? Cycle mode: yes while it has the lowest clock. Exploration: the policy decides.</summary>
    internal bool MayContinue(EmulatedCore core)
    {
        // Past the budget the core yields, so that Run regains control and ends the run (a core alone never yields otherwise).
        if (++Points >= _pointLimit) return false;
        if (_policy is null) return _heap.Count == 0 || CoreHeap.Before(core, _heap.Peek());
        if (_runnable.Count == 0) return true;
        var span = Candidates(_runnable, core.Id);
        var chosen = span[_policy.Pick(span, core.Id)];
        if (chosen == core.Id) return true;
        _next = chosen;
        return false;
    }

    internal void Yield(EmulatedCore core, Action continuation)
    {
        core.Continuation = continuation;
        MakeRunnable(core);
    }

    /// <summary>True (and the wait is over) when a wait line was written by another core after this core last read it.</summary>
    internal bool WaitLineChanged(EmulatedCore core)
    {
        var directory = Memory.Directory;
        if (Observer is { } observer)
            for (var i = 0; i < core.WaitLineCount; i++) observer.WaitChecked(core.Id, core.WaitLines[i]);
        for (var i = 0; i < core.WaitLineCount; i++)
        {
            if (!directory.HasStaleCopy(core.Id, core.WaitLines[i])) continue;
            core.WaitLineCount = 0;
            return true;
        }
        return false;
    }

    internal void Block(EmulatedCore core, Action continuation)
    {
        core.Continuation = continuation;
        core.Status = CoreStatus.Blocked;
        for (var i = 0; i < core.WaitLineCount; i++) Memory.AddWaiter(core.WaitLines[i], core.Id);
    }

    private void MakeRunnable(EmulatedCore core)
    {
        core.Status = CoreStatus.Runnable;
        if (_policy is null)
        {
            _heap.Push(core);
            return;
        }
        var i = _runnable.BinarySearch(core.Id);
        if (i < 0) _runnable.Insert(~i, core.Id);
    }

    /// <summary>A write to <paramref name="line"/> completed at <paramref name="at"/>: wake every core waiting for it.</summary>
    internal void WakeWaiters(int line, int writer, long at)
    {
        var waiters = Memory.WaitersOf(line);
        if (waiters is null || waiters.Count == 0) return;
        for (var i = waiters.Count - 1; i >= 0; i--)
        {
            var id = waiters[i];
            if (id == writer) continue;
            var w = _cores[id];
            for (var j = 0; j < w.WaitLineCount; j++) Memory.RemoveWaiter(w.WaitLines[j], id);
            w.WaitLineCount = 0;
            Wake(w, at);
            if (i > waiters.Count) i = waiters.Count;
        }
    }

    /// <summary>Delivers an inter-processor interrupt to <paramref name="target"/>, arriving at cycle <paramref name="at"/>.</summary>
    internal void DeliverInterrupt(int target, long at)
    {
        var t = _cores[target];
        if (_current is { } sender) Observer?.Accessed(sender.Id, IStepObserver.InterruptLine(target), true);
        t.PendingInterrupts.Enqueue(at);
        if (t.Status != CoreStatus.Blocked || !t.WaitsForInterrupt) return;
        t.WaitsForInterrupt = false;
        Wake(t, at);
    }

    /// <summary>A blocked core becomes runnable at cycle <paramref name="at"/> (its clock moves there if that is later).</summary>
    private void Wake(EmulatedCore core, long at)
    {
        core.WaitingFor = "";
        core.IdleWait = false;
        WaitUntil(core, at);
        MakeRunnable(core);
    }

    /// <summary>Time the core spent waiting for something that happened at <paramref name="at"/>.</summary>
    private static void WaitUntil(EmulatedCore core, long at)
    {
        if (core.Clock >= at) return;
        core.WaitedCycles += at - core.Clock;
        core.Clock = at;
    }

    /// <summary>Takes the oldest pending interrupt: the core's clock moves to its arrival if that is later.</summary>
    internal bool TryTakeInterrupt(EmulatedCore core)
    {
        Observer?.Accessed(core.Id, IStepObserver.InterruptLine(core.Id), true);
        if (!core.PendingInterrupts.TryDequeue(out var at)) return false;
        WaitUntil(core, at);
        return true;
    }

    internal void BlockForInterrupt(EmulatedCore core, Action continuation)
    {
        core.Continuation = continuation;
        core.Status = CoreStatus.Blocked;
        core.WaitLineCount = 0;
        core.WaitsForInterrupt = true;
    }

    internal void CheckCurrent(EmulatedCore core)
    {
        if (!ReferenceEquals(_current, core))
            throw new InvalidOperationException($"core {core.Id} touched memory while core {_current?.Id.ToString() ?? "none"} was running; cores may act only through their own context");
    }
}
