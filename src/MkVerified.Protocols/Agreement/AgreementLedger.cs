using MkVerified.Runtime;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// Checker-only (ghost) record of every agreement: who voted what, who decided what, which cores refused which agreement
/// because of which other, and each core's lock table. It throws <see cref="SafetyViolationException"/> the moment a
/// guarantee breaks. The protocol never reads it; it exists so exploration and tests can check the guarantees.
/// Its checks read what other cores reported and their lock tables, so under an emulation every report is shown to the
/// exploration's step observer as a change of the reporting core's private state and a read of every core's (and so is
/// every lock change): partial-order reduction then never takes a report and a check on another core for independent.
/// </summary>
public sealed class AgreementLedger(Emulation? observed = null)
{
    private sealed class Entry(AgreementSpec spec)
    {
        public AgreementSpec Spec { get; } = spec;
        public Dictionary<int, Reply> Votes { get; } = [];
        public Dictionary<int, bool> Decisions { get; } = [];
        public bool? Outcome { get; set; }
        public bool Ended { get; set; }
    }

    private readonly Dictionary<long, Entry> _entries = [];
    private readonly Dictionary<int, LockTable> _locks = [];
    private readonly List<(long Refused, long Holder, int Core)> _refusals = [];
    // Operations: every agreement belongs to the operation of the first agreement its coordinator started for it.
    private readonly Dictionary<long, long> _operationOf = [];
    private readonly Dictionary<long, long> _committedBy = [];
    private readonly Dictionary<long, string> _gaveUp = [];
    private readonly List<long> _commitOrder = [];

    // Cores on host threads report concurrently (mk stress): one report at a time. Uncontended in emulation.
    private readonly Lock _gate = new();

    public int Begun { get { lock (_gate) return _entries.Count; } }
    public int EndedCount { get { lock (_gate) return _entries.Values.Count(e => e.Ended); } }
    public int CommittedCount { get { lock (_gate) return _entries.Values.Count(e => e.Outcome == true); } }

    internal void Register(int core, LockTable locks)
    {
        lock (_gate) _locks[core] = locks;
        if (observed is not null) locks.Changed = observed.PrivateStateChanged;
    }

    // A report changes the reporting core's ghost state, and its checks may read any core's.
    private void Observe()
    {
        if (observed?.Observer is null) return; // only an exhaustive search observes steps
        observed.PrivateStateChanged();
        foreach (var core in _locks.Keys) observed.CheckReadsPrivateState(core);
    }

    public void Begin(AgreementSpec spec)
    {
        lock (_gate)
        {
            Observe();
            if (!_entries.TryAdd(spec.Instance, new Entry(spec))) throw new InvalidOperationException($"agreement {Name(spec.Instance)} was started twice");
            _operationOf.TryAdd(spec.Instance, spec.Instance);
        }
    }

    /// <summary><paramref name="next"/> retries the operation of <paramref name="previous"/>, which ended aborted.</summary>
    public void Retried(long previous, long next)
    {
        lock (_gate)
        {
            Observe();
            var e = Get(previous);
            SafetyViolationException.Check(e.Ended && e.Outcome == false, $"agreement {Name(next)} retries agreement {Name(previous)}, which has not ended aborted");
            SafetyViolationException.Check(_operationOf.TryAdd(next, _operationOf[previous]), $"agreement {Name(next)} was begun before it was declared a retry");
        }
    }

    /// <summary>The operation of <paramref name="instance"/> ends without committing (retries exhausted or not retryable).</summary>
    public void GaveUp(long instance, string reason)
    {
        lock (_gate)
        {
            Observe();
            var e = Get(instance);
            SafetyViolationException.Check(e.Ended && e.Outcome == false, $"operation {Name(_operationOf[instance])} gave up with agreement {Name(instance)}, which has not ended aborted");
            _gaveUp[_operationOf[instance]] = reason;
        }
    }

    /// <summary>Agreements in the order their coordinators decided commit.</summary>
    public IReadOnlyList<long> CommitOrder => _commitOrder;

    /// <summary>The operation (its first agreement) that <paramref name="instance"/> belongs to.</summary>
    public long OperationOf(long instance) { lock (_gate) return _operationOf[instance]; }

    /// <summary>Whether the operation whose first agreement is <paramref name="operation"/> has committed.</summary>
    public bool HasCommitted(long operation) { lock (_gate) return _committedBy.ContainsKey(operation); }

    /// <summary>Operations (by their first agreement) that gave up, with why.</summary>
    public IReadOnlyDictionary<long, string> GaveUpOperations => _gaveUp;

    public void Voted(long instance, int core, Reply vote)
    {
        lock (_gate)
        {
            Observe();
            var e = Get(instance);
            SafetyViolationException.Check(e.Votes.TryAdd(core, vote), $"agreement {Name(instance)}: core {core} voted twice");
            if (vote.No > 0) _refusals.Add((instance, vote.BlockedBy, core));
        }
    }

    public void CoordinatorDecided(long instance, bool commit)
    {
        lock (_gate)
        {
            Observe();
            var e = Get(instance);
            SafetyViolationException.Check(e.Outcome is null, $"agreement {Name(instance)}: the coordinator decided twice");
            CheckDecision(e, e.Spec.Root, commit);
            e.Outcome = commit;
            if (!commit) return;
            // Serialized: another committed agreement on the object was applied on every core the two share before this commit.
            foreach (var o in _entries.Values)
            {
                if (o == e || o.Outcome != true || o.Spec.Object != e.Spec.Object) continue;
                foreach (var p in e.Spec.Participants)
                    SafetyViolationException.Check(!o.Spec.Participants.Contains(p) || o.Decisions.ContainsKey(p),
                        $"agreements {Name(e.Spec.Instance)} and {Name(o.Spec.Instance)} on object {e.Spec.Object} are not serialized: {Name(e.Spec.Instance)} committed before core {p} applied {Name(o.Spec.Instance)}");
            }
            var op = _operationOf[instance];
            SafetyViolationException.Check(_committedBy.TryAdd(op, instance),
                $"operation {Name(op)} committed twice: by agreement {Name(_committedBy.GetValueOrDefault(op))} and by agreement {Name(instance)}");
            _commitOrder.Add(instance);
        }
    }

    public void ParticipantDecided(long instance, int core, bool commit)
    {
        lock (_gate)
        {
            Observe();
            var e = Get(instance);
            CheckDecision(e, core, commit);
            SafetyViolationException.Check(e.Decisions.TryAdd(core, commit), $"agreement {Name(instance)}: core {core} decided twice");
        }
    }

    public void Ended(long instance)
    {
        lock (_gate)
        {
            Observe();
            var e = Get(instance);
            foreach (var p in e.Spec.Participants)
                SafetyViolationException.Check(_locks[p].HolderOf(e.Spec.Object) != instance,
                    $"agreement {Name(instance)} ended while core {p} still holds the lock on object {e.Spec.Object}");
            foreach (var p in e.Spec.Participants)
                SafetyViolationException.Check(e.Decisions.ContainsKey(p), $"agreement {Name(instance)} ended before core {p} decided");
            e.Ended = true;
        }
    }

    /// <summary>After a run: every agreement ended and no core holds any lock.</summary>
    public void CheckAllEnded()
    {
        lock (_gate)
        {
            foreach (var e in _entries.Values)
                SafetyViolationException.Check(e.Ended, $"agreement {Name(e.Spec.Instance)} never ended ({e.Votes.Count} of {e.Spec.Participants.Count} votes, {e.Decisions.Count} decisions)");
            foreach (var op in _operationOf.Values.Distinct())
                SafetyViolationException.Check(_committedBy.ContainsKey(op) || _gaveUp.ContainsKey(op),
                    $"operation {Name(op)} neither committed nor gave up (agreements {string.Join(", ", _operationOf.Where(o => o.Value == op).Select(o => Name(o.Key)))})");
            foreach (var (core, table) in _locks)
                foreach (var (obj, holder) in table.Held)
                    SafetyViolationException.Check(false, $"after every agreement ended, core {core} still holds the lock on object {obj} for agreement {Name(holder)}");
        }
    }

    private void CheckDecision(Entry e, int core, bool commit)
    {
        var instance = e.Spec.Instance;
        if (e.Outcome is { } outcome && outcome != commit)
            throw new SafetyViolationException($"agreement {Name(instance)}: core {core} decided {Word(commit)} but the coordinator decided {Word(outcome)}");
        foreach (var (other, d) in e.Decisions)
            SafetyViolationException.Check(d == commit, $"agreement {Name(instance)}: core {core} decided {Word(commit)} but core {other} decided {Word(d)}");
        if (!commit) return;
        foreach (var (refused, holder, at) in _refusals)
        {
            var other = refused == instance ? holder : holder == instance ? refused : -1;
            if (other >= 0 && _entries.TryGetValue(other, out var o) && o.Outcome == true)
                throw new SafetyViolationException($"conflicting agreements {Name(instance)} and {Name(other)} on object {e.Spec.Object} both committed (core {at} refused {Name(refused)} while {Name(holder)} held the lock)");
        }
        foreach (var p in e.Spec.Participants)
        {
            if (!e.Votes.TryGetValue(p, out var vote))
                throw new SafetyViolationException($"agreement {Name(instance)} committed although core {p} had not voted");
            SafetyViolationException.Check(vote.No == 0, $"agreement {Name(instance)} committed although core {p} voted no (object {e.Spec.Object} locked by agreement {Name(vote.BlockedBy)})");
        }
    }

    private Entry Get(long instance) => _entries.TryGetValue(instance, out var e) ? e : throw new InvalidOperationException($"agreement {Name(instance)} was never begun");

    private static string Name(long instance) => AgreementSpec.Describe(instance);

    private static string Word(bool commit) => commit ? "commit" : "abort";
}
