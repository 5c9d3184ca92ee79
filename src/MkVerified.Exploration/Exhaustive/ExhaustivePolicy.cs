using MkVerified.Runtime;

namespace MkVerified.Exploration.Exhaustive;

/// <summary>Partial-order reduction of an exhaustive search.</summary>
public enum Reduction
{
    /// <summary>Plain depth-first search: every alternative at every decision.</summary>
    None,
    /// <summary>Sleep sets only: every alternative whose step was not already explored from an equivalent state.</summary>
    Sleep,
    /// <summary>Dynamic POR plus sleep sets: only alternatives that reverse a race seen in an execution.</summary>
    Dpor,
}

/// <summary>
/// Stateless depth-first search over the scheduler's choices with dynamic partial-order reduction (Flanagan and
/// Godefroid 2005: an alternative is tried only where an execution showed a race), sleep sets (Godefroid 1996) and an
/// optional preemption bound (iterative context bounding, Musuvathi and Qadeer 2007). One instance lives across all the
/// executions of a search: each execution replays the choices on the stack up to the last frame (whose choice was
/// just changed) and then extends the stack with new frames, choosing the current core when it may (no preemption)
/// and otherwise the lowest core that is neither asleep nor over the bound. A core is asleep at a node when its
/// next step was already explored from an equivalent state: it was explored (or asleep) at the parent and commutes
/// with the step taken from there. An execution whose every runnable core is asleep is redundant and is stopped.
/// With a preemption bound only a preempted core goes to sleep (see <see cref="MaySleep"/>).
/// </summary>
public sealed class ExhaustivePolicy : IPickPolicy, IStepObserver
{
    private sealed class Frame(int[] candidates, int current, int preemptions, List<(int Core, Footprint Step)> sleep)
    {
        public readonly int[] Candidates = candidates;
        public readonly int Current = current;
        public readonly int Preemptions = preemptions; // along the path before this pick
        public readonly List<(int Core, Footprint Step)> Sleep = sleep;
        public readonly List<(int Core, Footprint Step)> Done = [];
        public readonly List<int> Backtrack = [];
        public int Chosen;
        public Footprint? ChosenStep;

        public bool Preempts(int core) => Current >= 0 && core != Current;
        public bool IsAsleep(int core) => Sleep.Exists(s => s.Core == core);
        public bool IsDone(int core) => Done.Exists(s => s.Core == core);
    }

    private readonly List<Frame> _stack = [];
    private readonly List<int> _picks = [];
    private Emulation? _emulation;
    private Footprint? _step; // everything between two decisions (sleep sets)
    private readonly List<(Footprint Step, int Frame)> _events = []; // one per core resumed or decision taken (races)
    private Footprint? _event;
    private bool _eventFresh; // the event was opened by a decision and no access is in it yet
    private int _eventCore;
    private int _depth;
    private int _newFrom; // the first decision of this execution that differs from the last one
    private bool _stopped;
    private List<(int Core, Footprint Step)>? _blockedBy; // the sleep set that stopped this execution

    /// <param name="preemptionBound">Most preemptions per schedule (switching away from a core that could go on); null: unbounded.</param>
    /// <param name="maxDepth">Most scheduling decisions per schedule; a longer one is cut (and the search is not complete).</param>
    /// <param name="reduction">Which partial-order reduction (none: plain depth-first search, to measure what the reduction saves).</param>
    public ExhaustivePolicy(int? preemptionBound, long maxDepth, Reduction reduction)
    {
        PreemptionBound = preemptionBound;
        MaxDepth = maxDepth;
        Reduction = reduction;
    }

    public int? PreemptionBound { get; }
    public long MaxDepth { get; }
    public Reduction Reduction { get; }

    private bool UsesSleepSets => Reduction != Reduction.None;

    /// <summary>
    /// May a core already explored at <paramref name="parent"/> sleep below the alternative taken there? Without a bound,
    /// always. With one, only the core that was running there (the alternative preempted it): a sleeping core a stands
    /// for "a first, then the rest", and only when a was the running core does that order cost no more preemptions than
    /// the one it replaces (from elsewhere it can cost one more, which the bounded search may never have spent;
    /// ExhaustiveSoundnessTests found lost outcomes with every explored core asleep, even at bound 0).
    /// </summary>
    private bool MaySleep(Frame parent, int core) => PreemptionBound is null || core == parent.Current;

    /// <summary>Executions stopped because every runnable core was asleep (redundant with one already run).</summary>
    public long SleepBlocked { get; private set; }

    /// <summary>Alternatives never run because the core was asleep there (each stands for a whole subtree).</summary>
    public long PrunedBranches { get; private set; }

    /// <summary>Executions cut by the depth bound (the search is then not complete).</summary>
    public long Cut { get; private set; }

    /// <summary>Alternatives never run because they would exceed the preemption bound.</summary>
    public long BoundedBranches { get; private set; }

    /// <summary>Deepest schedule, in scheduling decisions.</summary>
    public int MaxPicks { get; private set; }

    /// <summary>The index picked at each scheduling decision of the current execution (what a uniform policy must draw to replay it).</summary>
    public IReadOnlyList<int> Picks => _picks;

    /// <summary>True when the current execution was stopped as redundant or cut.</summary>
    public bool Stopped => _stopped;

    public void BeginExecution(Emulation emulation)
    {
        _emulation = emulation;
        _depth = 0;
        _step = null;
        _event = null;
        _events.Clear();
        _stopped = false;
        _blockedBy = null;
        _picks.Clear();
    }

    public static Action<string>? Debug { get; set; }

    public void EndExecution()
    {
        Debug?.Invoke($"exec: {string.Join(" ", _stack.Take(_depth).Select(f => $"{f.Chosen}{(f.Current < 0 ? "*" : "")}"))}{(_stopped ? " STOP" : "")} events: {string.Join(" ", _events.Select(e => $"[{e.Frame}:{Convert.ToString((long)e.Step.Cores, 2)} r{string.Join(",", e.Step.Reads)} w{string.Join(",", e.Step.Writes)}]"))}");
        if (!_stopped && _depth > 0 && _depth <= _stack.Count) _stack[_depth - 1].ChosenStep = _step;
        _emulation = null;
        if (Reduction == Reduction.Dpor) AddRaceReversals();
    }

    /// <summary>
    /// Where this execution raced, schedule the later step's core at the earlier step's decision (or, if that core
    /// could not run there, every core that could). With a preemption bound, when that costs a preemption, also where
    /// the core running there was switched in (bounded POR, Coons et al. 2013): running the racing core there instead
    /// costs no more preemptions than the schedule already spent, so the reversal may fit the bound only from there.
    /// (An earlier draft used the last earlier free switch instead, which lost schedules within the bound.)
    /// </summary>
    private void AddRaceReversals()
    {
        var n = Math.Min(_depth, _stack.Count);
        // Events of the executed part only (an event of a decision taken after the stop is not on the stack).
        var steps = new List<Footprint>(_events.Count);
        var frames = new List<int>(_events.Count);
        foreach (var (step, frame) in _events)
        {
            if (frame >= n) break;
            steps.Add(step);
            frames.Add(frame);
        }
        var real = steps.Count;
        // A redundant execution stops before its sleeping cores run: their next steps (known from the sleep set)
        // still race with the steps taken, as they would had the execution gone on.
        if (_blockedBy is not null) steps.AddRange(_blockedBy.Select(e => e.Step));
        var from = 0;
        while (from < real && frames[from] < _newFrom) from++;
        Races.Find(steps, real, !_stopped, from, (i, j, initials) =>
        {
            if (i >= real || frames[i] < 0) return; // before the first decision: nothing to reverse
            var f = _stack[frames[i]];
            // Source sets: one initial core of the reversed order suffices (the core of j, if it is one). Under a bound
            // that core may be over it there and never run, so the conservative point below is still due.
            var covered = false;
            foreach (var c in f.Backtrack)
                if (c < 64 && (initials & (1UL << c)) != 0) covered = true;
            if (covered && PreemptionBound is null) return;
            var mine = steps[j].Cores & initials;
            var preempts = covered ? f.Current >= 0 : AddBacktrack(f, mine != 0 ? mine : initials);
            if (PreemptionBound is null || !preempts) return;
            var start = BlockStart(frames[i]);
            if (start >= 0 && start != frames[i]) AddBacktrack(_stack[start], mine != 0 ? mine : initials);
        });
    }

    /// <summary>
    /// The decision where the core chosen at decision <paramref name="d"/> began to run without a break (it was switched
    /// in there, freely or by a preemption), or -1 when it was switched in where it was the only runnable core.
    /// </summary>
    private int BlockStart(int d)
    {
        var core = _stack[d].Chosen;
        var k = d;
        while (k >= 0 && _stack[k].Current == core && _stack[k].Chosen == core) k--;
        return k >= 0 && _stack[k].Chosen == core ? k : -1;
    }

    /// <summary>Adds the first core of <paramref name="cores"/> (a bit mask) that can run at <paramref name="f"/>, or every core that can if none can; true if an added one preempts there.</summary>
    private static bool AddBacktrack(Frame f, ulong cores)
    {
        foreach (var c in f.Candidates)
        {
            if (c >= 64 || (cores & (1UL << c)) == 0) continue;
            if (!f.Backtrack.Contains(c)) f.Backtrack.Add(c);
            return f.Preempts(c);
        }
        var preempts = false;
        foreach (var c in f.Candidates)
        {
            preempts |= f.Preempts(c);
            if (!f.Backtrack.Contains(c)) f.Backtrack.Add(c);
        }
        return preempts;
    }

    /// <summary>Moves to the next schedule to run; false when the (bounded) space is exhausted.</summary>
    public bool Backtrack()
    {
        while (_stack.Count > 0)
        {
            var f = _stack[^1];
            f.Done.Add((f.Chosen, f.ChosenStep ?? throw new InvalidOperationException("a step ended without a footprint")));
            var next = -1;
            foreach (var c in f.Candidates)
            {
                if (f.IsDone(c)) continue;
                if (f.IsAsleep(c)) continue;
                if (!WithinBound(f, c)) continue;
                if (Reduction == Reduction.Dpor && !f.Backtrack.Contains(c)) continue;
                next = c;
                break;
            }
            if (next >= 0)
            {
                _newFrom = _stack.Count - 1;
                f.Chosen = next;
                f.ChosenStep = null;
                return true;
            }
            foreach (var c in f.Candidates)
                if (!f.IsDone(c))
                {
                    if (!WithinBound(f, c)) BoundedBranches++;
                    else PrunedBranches++;
                }
            _stack.RemoveAt(_stack.Count - 1);
        }
        return false;
    }

    private bool WithinBound(Frame f, int core) => PreemptionBound is not { } k || !f.Preempts(core) || f.Preemptions < k;

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        if (_stopped) return Leave(candidates, current);
        if (_depth > 0 && _depth <= _stack.Count) _stack[_depth - 1].ChosenStep = _step;
        _step = new Footprint();
        if (Reduction == Reduction.Dpor)
        {
            _event = new Footprint();
            _events.Add((_event, _depth));
            _eventFresh = true;
            _eventCore = -1;
        }
        if (_depth < _stack.Count)
        {
            var replayed = _stack[_depth];
            if (!candidates.SequenceEqual(replayed.Candidates) || current != replayed.Current)
                throw new InvalidOperationException($"the scenario is not deterministic: at decision {_depth} the runnable cores were [{string.Join(",", replayed.Candidates)}] and are now [{string.Join(",", candidates.ToArray())}]");
            _depth++;
            return Record(candidates.IndexOf(replayed.Chosen));
        }
        if (_depth >= MaxDepth)
        {
            Cut++;
            return Stop(candidates, current);
        }
        var sleep = new List<(int Core, Footprint Step)>();
        var preemptions = 0;
        if (_depth > 0)
        {
            var parent = _stack[_depth - 1];
            preemptions = parent.Preemptions + (parent.Preempts(parent.Chosen) ? 1 : 0);
            if (UsesSleepSets)
            {
                var taken = parent.ChosenStep!;
                foreach (var e in parent.Sleep) if (Footprint.Independent(e.Step, taken)) sleep.Add(e);
                foreach (var e in parent.Done) if (e.Core != parent.Chosen && MaySleep(parent, e.Core) && Footprint.Independent(e.Step, taken)) sleep.Add(e);
            }
        }
        var frame = new Frame(candidates.ToArray(), current, preemptions, sleep);
        var chosen = -1;
        if (current >= 0 && !frame.IsAsleep(current)) chosen = current;
        else
            foreach (var c in frame.Candidates)
                if (!frame.IsAsleep(c) && WithinBound(frame, c))
                {
                    chosen = c;
                    break;
                }
        if (chosen < 0)
        {
            SleepBlocked++;
            _blockedBy = sleep;
            return Stop(candidates, current);
        }
        frame.Chosen = chosen;
        frame.Backtrack.Add(chosen);
        _stack.Add(frame);
        _depth++;
        MaxPicks = Math.Max(MaxPicks, _depth);
        return Record(candidates.IndexOf(chosen));
    }

    private int Record(int index)
    {
        _picks.Add(index);
        return index;
    }

    private int Stop(ReadOnlySpan<int> candidates, int current)
    {
        _stopped = true;
        _step = null;
        if (_event is not null) _events.RemoveAt(_events.Count - 1); // opened for a decision that is not taken
        _event = null;
        _emulation!.RequestStop();
        return Leave(candidates, current);
    }

    // Once stopped, end the running step as soon as possible: switch away from the current core.
    private int Leave(ReadOnlySpan<int> candidates, int current) => Record(candidates[0] != current ? 0 : 1);

    // Races are found between single accesses, not whole steps: a step may hold several accesses (of its core going
    // on while no other core can run, or of a core that then runs alone), and merging them would make an early access
    // look ordered after whatever a later one depends on. The first access after a decision belongs to its event.
    public void Ran(int core)
    {
        if (_stopped) return;
        _step?.Ran(core);
        if (_event is null || !_eventFresh) return;
        if (_eventCore < 0)
        {
            _eventCore = core;
            _event.Ran(core);
        }
        else if (_eventCore != core) _eventFresh = false;
    }

    public void Accessed(int core, int line, bool write)
    {
        if (_stopped) return;
        _step?.Access(line, write);
        EventOf(core)?.Access(line, write);
    }

    public void WaitChecked(int core, int line)
    {
        if (_stopped) return;
        _step?.Access(line, false);
        EventOf(core)?.WaitCheck(line);
    }

    public void ReadWriteStamp(int core)
    {
        if (_stopped) return;
        _step?.ReadStamp();
        EventOf(core)?.ReadStamp();
    }

    private Footprint? EventOf(int core)
    {
        if (Reduction != Reduction.Dpor || _step is null) return null;
        if (_eventFresh && _event is not null && (_eventCore < 0 || _eventCore == core))
        {
            _eventFresh = false;
            if (_eventCore < 0) _event.Ran(core);
            return _event;
        }
        _eventFresh = false;
        // Not the first access after a decision: a wait's check of its lines, or a core going on (or running alone)
        // with no other core runnable. Its race is reversed at the decision that began its step.
        var e = new Footprint();
        e.Ran(core);
        _events.Add((e, _depth - 1));
        return e;
    }
}
