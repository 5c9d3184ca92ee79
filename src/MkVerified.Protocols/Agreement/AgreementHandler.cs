using MkVerified.Kernel.Monitor;
using MkVerified.Kernel.Skb;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// The agreement protocol on one core's monitor: one node (machines) per agreement this core takes part in, the core's
/// object locks, and the results of the agreements it coordinated. All of it is private to the core.
/// </summary>
public sealed class AgreementHandler : IProtocolHandler
{
    private readonly SystemKnowledgeBase _skb;
    private readonly Dictionary<long, AgreementNode> _nodes = [];
    // Long prepares (participants beyond core 255) being reassembled, by sending peer: the header and the mask so far.
    private readonly Dictionary<int, (AgreementSpec Header, List<long> Mask, int Words)> _partial = [];
    private readonly List<AgreementResult> _results = [];
    private readonly List<AgreementNode> _live = [];
    private readonly Dictionary<long, List<AgreementNode>> _waiters = [];
    private Outbox? _outbox;
    private long _lamport;

    public AgreementHandler(int core, SystemKnowledgeBase skb, AgreementVariant variant, AgreementLedger? ledger)
    {
        Core = core;
        _skb = skb;
        Variant = variant;
        Ledger = ledger;
        ledger?.Register(core, Locks);
    }

    public int ProtocolId => AgreementMessages.ProtocolId;
    public int Core { get; }
    public AgreementVariant Variant { get; }
    public AgreementLedger? Ledger { get; }
    public LockTable Locks { get; } = new();
    public bool Busy => _live.Count > 0;

    /// <summary>Agreements this core coordinates that have not ended.</summary>
    public int InFlight { get; private set; }

    public IReadOnlyList<AgreementResult> Results => _results;

    /// <summary>Called with each result when an agreement this core coordinates ends.</summary>
    public Action<AgreementResult>? Completed { get; set; }

    /// <summary>The emulation whose event log gets this core's machine transitions (when it records events).</summary>
    public Emulation? RecordingIn { get; set; }

    internal long Now { get; private set; }

    /// <summary>This core's Lamport clock: above every ticket it issued or saw in a prepare.</summary>
    public long LamportClock => _lamport;

    /// <summary>
    /// Starts coordinating <paramref name="spec"/> (this core must be its root) and returns it as started: an operation's
    /// first agreement (ticket 0) takes the next tick of this core's Lamport clock as its ticket; a retry keeps its own.
    /// </summary>
    public AgreementSpec Start(AgreementSpec spec, long clock, Outbox outbox)
    {
        if (spec.Root != Core) throw new ArgumentException($"core {Core} cannot coordinate {spec}");
        if (spec.Ticket == 0) spec = spec with { Ticket = ++_lamport };
        Ledger?.Begin(spec);
        var tree = _skb.BuildTree(spec.Root, spec.Participants, spec.Kind);
        InFlight++;
        Run(clock, outbox, () => NewNode(spec, tree, clock).Coordinator!.Fire(CoordinatorMachine.Trigger.Start));
        return spec;
    }

    public void Handle(int from, in UrpcMessage message, long clock, Outbox outbox)
    {
        var m = message;
        Run(clock, outbox, () => Dispatch(from, m, clock));
    }

    private void Dispatch(int from, UrpcMessage m, long clock)
    {
        var kind = (AgreementKind)MonitorMessage.Kind(m);
        if (kind == AgreementKind.Prepare)
        {
            SafetyViolationException.Check(!_partial.ContainsKey(from), $"core {Core} got a prepare from core {from} in the middle of a long one");
            var mask = new List<long>(AgreementMessages.MaskWords(m));
            var header = AgreementMessages.ReadPrepareHeader(m, mask);
            if (AgreementMessages.IsLongPrepare(m))
            {
                _partial[from] = (header, mask, AgreementMessages.MaskWords(m));
                return;
            }
            Prepared(from, header with { Participants = AgreementMessages.Participants(mask) }, clock);
            return;
        }
        if (kind == AgreementKind.PrepareMore)
        {
            SafetyViolationException.Check(_partial.TryGetValue(from, out var p) && p.Header.Instance == MonitorMessage.Instance(m),
                $"core {Core} got the rest of a prepare from core {from} for agreement {AgreementSpec.Describe(MonitorMessage.Instance(m))} without its start");
            AgreementMessages.ReadPrepareMore(m, p.Mask, p.Words);
            if (p.Mask.Count < p.Words) return;
            _partial.Remove(from);
            Prepared(from, p.Header with { Participants = AgreementMessages.Participants(p.Mask) }, clock);
            return;
        }
        DispatchReply(from, m, kind);
    }

    /// <summary>A whole prepare arrived from <paramref name="from"/>: catch the Lamport clock up and start this core's part.</summary>
    private void Prepared(int from, AgreementSpec spec, long clock)
    {
        _lamport = Math.Max(_lamport, spec.Ticket);
        SafetyViolationException.Check(!_nodes.ContainsKey(spec.Instance), $"core {Core} was asked twice to prepare agreement {AgreementSpec.Describe(spec.Instance)}");
        var tree = _skb.BuildTree(spec.Root, spec.Participants, spec.Kind);
        SafetyViolationException.Check(tree.ParentOf(Core) == from, $"core {Core} got prepare for {spec} from core {from}, not from its tree parent");
        var node = NewNode(spec, tree, clock);
        if (node.Forwarder is { } f) f.Fire(ForwarderMachine.Trigger.Prepare);
        else node.Participant.Fire(ParticipantMachine.Trigger.Prepare);
    }

    private void DispatchReply(int from, UrpcMessage m, AgreementKind kind)
    {
        var instance = MonitorMessage.Instance(m);
        if (!_nodes.TryGetValue(instance, out var n))
            throw new SafetyViolationException($"core {Core} got {kind} from core {from} for agreement {AgreementSpec.Describe(instance)} it never prepared");
        switch (kind)
        {
            case AgreementKind.Vote:
                n.Votes.AddChild(from, AgreementMessages.ReadVote(m), "vote");
                n.VotesChanged();
                break;
            case AgreementKind.Ack:
                n.Acks.AddChild(from, AgreementMessages.ReadAck(m), "ack");
                n.AcksChanged();
                break;
            case AgreementKind.Commit or AgreementKind.Abort:
                SafetyViolationException.Check(from == n.Parent, $"core {Core} got {kind} for agreement {AgreementSpec.Describe(instance)} from core {from}, not from its tree parent");
                var commit = kind == AgreementKind.Commit;
                if (n.Forwarder is { } f) f.Fire(commit ? ForwarderMachine.Trigger.Commit : ForwarderMachine.Trigger.Abort);
                else n.Participant.Fire(commit ? ParticipantMachine.Trigger.Commit : ParticipantMachine.Trigger.Abort);
                break;
            default:
                throw new SafetyViolationException($"core {Core} got an agreement message of unknown kind {(int)kind}");
        }
    }

    private void Run(long clock, Outbox outbox, Action action)
    {
        Now = clock;
        _outbox = outbox;
        try
        {
            action();
        }
        finally
        {
            _outbox = null;
        }
        _live.RemoveAll(n => n.Finished);
    }

    private AgreementNode NewNode(AgreementSpec spec, MulticastTree tree, long clock)
    {
        var node = new AgreementNode(this, spec, tree, clock);
        _nodes.Add(spec.Instance, node);
        _live.Add(node);
        return node;
    }

    internal void Send(int peer, UrpcMessage message) =>
        (_outbox ?? throw new InvalidOperationException("agreement machines may send only while the monitor runs them")).Send(peer, message);

    internal void AddWaiter(AgreementNode node)
    {
        if (!_waiters.TryGetValue(node.Spec.Object, out var list)) _waiters[node.Spec.Object] = list = [];
        list.Add(node);
    }

    /// <summary>The object's lock here was released: the highest-priority waiter takes it, the others then vote no.</summary>
    internal void LockFreed(long obj)
    {
        if (Locks.HolderOf(obj) >= 0 || !_waiters.Remove(obj, out var list)) return;
        list.Sort((a, b) => a == b ? 0 : Outranks(a.Spec, b.Spec) ? -1 : 1);
        foreach (var waiter in list) waiter.Participant.Fire(ParticipantMachine.Trigger.LockFreed);
    }

    internal bool Outranks(AgreementSpec a, AgreementSpec b) => AgreementSpec.Outranks(a, b, Variant);

    /// <summary>The agreement holding <paramref name="obj"/> here (its node on this core), or null.</summary>
    internal AgreementSpec? HolderSpec(long obj) => Locks.HolderOf(obj) is var h and >= 0 ? _nodes[h].Spec : null;

    /// <summary>
    /// After a run that ended without an exception (so no machine has a trigger left queued): gives this core's machines
    /// back for the next run to reuse. Not when events were recorded, since then the machines report their transitions.
    /// The handler must not be used afterwards.
    /// </summary>
    public void RecycleMachines()
    {
        if (RecordingIn is { IsRecording: true }) return;
        foreach (var node in _nodes.Values) node.RecycleMachines();
        _nodes.Clear();
        _live.Clear();
    }

    internal void Finish(AgreementResult result)
    {
        InFlight--;
        _results.Add(result);
        Completed?.Invoke(result);
    }
}
