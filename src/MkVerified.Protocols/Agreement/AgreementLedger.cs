using MkVerified.Runtime;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// Checker-only (ghost) record of every agreement: who voted what, who decided what, which cores refused which agreement
/// because of which other, and each core's lock table. It throws <see cref="SafetyViolationException"/> the moment a
/// guarantee breaks. The protocol never reads it; it exists so exploration and tests can check the guarantees.
/// </summary>
public sealed class AgreementLedger
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

    public int Begun => _entries.Count;
    public int EndedCount => _entries.Values.Count(e => e.Ended);
    public int CommittedCount => _entries.Values.Count(e => e.Outcome == true);

    internal void Register(int core, LockTable locks) => _locks[core] = locks;

    public void Begin(AgreementSpec spec)
    {
        if (!_entries.TryAdd(spec.Instance, new Entry(spec))) throw new InvalidOperationException($"agreement {Name(spec.Instance)} was started twice");
    }

    public void Voted(long instance, int core, Reply vote)
    {
        var e = Get(instance);
        SafetyViolationException.Check(e.Votes.TryAdd(core, vote), $"agreement {Name(instance)}: core {core} voted twice");
        if (vote.No > 0) _refusals.Add((instance, vote.BlockedBy, core));
    }

    public void CoordinatorDecided(long instance, bool commit)
    {
        var e = Get(instance);
        SafetyViolationException.Check(e.Outcome is null, $"agreement {Name(instance)}: the coordinator decided twice");
        CheckDecision(e, e.Spec.Root, commit);
        e.Outcome = commit;
    }

    public void ParticipantDecided(long instance, int core, bool commit)
    {
        var e = Get(instance);
        CheckDecision(e, core, commit);
        SafetyViolationException.Check(e.Decisions.TryAdd(core, commit), $"agreement {Name(instance)}: core {core} decided twice");
    }

    public void Ended(long instance)
    {
        var e = Get(instance);
        foreach (var p in e.Spec.Participants)
            SafetyViolationException.Check(_locks[p].HolderOf(e.Spec.Object) != instance,
                $"agreement {Name(instance)} ended while core {p} still holds the lock on object {e.Spec.Object}");
        foreach (var p in e.Spec.Participants)
            SafetyViolationException.Check(e.Decisions.ContainsKey(p), $"agreement {Name(instance)} ended before core {p} decided");
        e.Ended = true;
    }

    /// <summary>After a run: every agreement ended and no core holds any lock.</summary>
    public void CheckAllEnded()
    {
        foreach (var e in _entries.Values)
            SafetyViolationException.Check(e.Ended, $"agreement {Name(e.Spec.Instance)} never ended ({e.Votes.Count} of {e.Spec.Participants.Count} votes, {e.Decisions.Count} decisions)");
        foreach (var (core, table) in _locks)
            foreach (var (obj, holder) in table.Held)
                SafetyViolationException.Check(false, $"after every agreement ended, core {core} still holds the lock on object {obj} for agreement {Name(holder)}");
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
