using MkVerified.Kernel.Skb;
using MkVerified.Runtime;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// One core's part in one agreement: its participant machine, plus the coordinator machine at the root or the forwarder
/// machine at an interior node. It routes each machine's output: to the local machine above it, or to the tree parent.
/// </summary>
internal sealed class AgreementNode : IParticipantHost, ICoordinatorHost, IForwarderHost
{
    private readonly AgreementHandler _handler;
    private long _decidedCycle;

    public AgreementNode(AgreementHandler handler, AgreementSpec spec, MulticastTree tree, long startCycle)
    {
        _handler = handler;
        Spec = spec;
        Core = handler.Core;
        Parent = tree.ParentOf(Core);
        Children = tree.ChildrenOf(Core);
        StartCycle = startCycle;
        var variant = handler.Variant;
        Participant = ParticipantMachine.Rent(new ParticipantRecord(), this, variant);
        if (Parent < 0)
            Coordinator = CoordinatorMachine.Rent(new CoordinatorRecord(new ReplyTally(Children, variant, false), new ReplyTally(Children, variant, false)), this, variant);
        else if (Children.Count > 0)
            Forwarder = ForwarderMachine.Rent(new ForwarderRecord(new ReplyTally(Children, variant, true), new ReplyTally(Children, variant, true)), this, variant);
        var emulation = handler.RecordingIn;
        MachineTrace.Attach(Participant.Machine, AgreementMachines.Participant, emulation, Core);
        if (Coordinator is not null) MachineTrace.Attach(Coordinator.Machine, AgreementMachines.Coordinator, emulation, Core);
        if (Forwarder is not null) MachineTrace.Attach(Forwarder.Machine, AgreementMachines.Forwarder, emulation, Core);
    }

    public AgreementSpec Spec { get; }
    public int Core { get; }
    public int Parent { get; }
    public IReadOnlyList<int> Children { get; }
    public long StartCycle { get; }
    public ParticipantMachine Participant { get; }
    public CoordinatorMachine? Coordinator { get; }
    public ForwarderMachine? Forwarder { get; }

    /// <summary>Gives this node's machines back for reuse (see <see cref="AgreementHandler.RecycleMachines"/>).</summary>
    public void RecycleMachines()
    {
        Participant.Recycle();
        Coordinator?.Recycle();
        Forwarder?.Recycle();
    }

    public bool Finished => Participant.Decided && (Coordinator?.IsDone ?? true) && (Forwarder?.IsDone ?? true);

    /// <summary>Votes and acks from children (the coordinator's or forwarder's tallies).</summary>
    public ReplyTally Votes => Coordinator?.Record.Votes ?? Forwarder?.Record.Votes ?? throw Leaf();
    public ReplyTally Acks => Coordinator?.Record.Acks ?? Forwarder?.Record.Acks ?? throw Leaf();

    private SafetyViolationException Leaf() => new($"core {Core} got a reply for {Spec}, but it is a leaf there: it has no children to hear from");

    public void VotesChanged()
    {
        if (Coordinator is { } c) c.Fire(CoordinatorMachine.Trigger.VoteArrived);
        else Forwarder!.Fire(ForwarderMachine.Trigger.VoteArrived);
    }

    public void AcksChanged()
    {
        if (Coordinator is { } c) c.Fire(CoordinatorMachine.Trigger.AckArrived);
        else Forwarder!.Fire(ForwarderMachine.Trigger.AckArrived);
    }

    // ---- participant host ----
    public bool ObjectFree => _handler.Locks.HolderOf(Spec.Object) < 0;
    public long ObjectHolder => _handler.Locks.HolderOf(Spec.Object);
    public bool HolderYields => _handler.HolderSpec(Spec.Object) is { } holder && _handler.Outranks(Spec, holder);
    public void WaitForLock() => _handler.AddWaiter(this);

    public void TakeLock()
    {
        // Seeded bug: the lock is taken over from a holder whose decision is still in flight.
        if (_handler.Variant == AgreementVariant.GrantBeforeDecision && !ObjectFree) _handler.Locks.Release(Spec.Object, ObjectHolder);
        _handler.Locks.Take(Spec.Object, Spec.Instance);
    }

    public void ReleaseLock()
    {
        _handler.Locks.Release(Spec.Object, Spec.Instance);
        _handler.LockFreed(Spec.Object);
    }

    public void CastVote(Reply vote)
    {
        _handler.Ledger?.Voted(Spec.Instance, Core, vote);
        if (Parent < 0 || Children.Count > 0)
        {
            Votes.AddOwn(vote);
            VotesChanged();
        }
        else _handler.Send(Parent, AgreementMessages.Vote(Spec.Instance, vote));
    }

    public void RecordDecision(bool commit) => _handler.Ledger?.ParticipantDecided(Spec.Instance, Core, commit);

    public void Acknowledge()
    {
        if (Parent < 0 || Children.Count > 0)
        {
            Acks.AddOwn(Reply.Acks(1));
            AcksChanged();
        }
        else _handler.Send(Parent, AgreementMessages.Ack(Spec.Instance, 1));
    }

    // ---- coordinator and forwarder host ----
    public int ParticipantCount => Spec.Participants.Count;
    public long Object => Spec.Object;

    public void FanOutPrepare()
    {
        var prepare = AgreementMessages.Prepare(Spec);
        foreach (var c in Children)
            foreach (var m in prepare) _handler.Send(c, m);
    }

    public void FanOutDecision(bool commit)
    {
        var decision = AgreementMessages.Decision(Spec.Instance, commit);
        foreach (var c in Children) _handler.Send(c, decision);
    }

    public void PrepareLocally() => Participant.Fire(ParticipantMachine.Trigger.Prepare);

    public void DecideLocally(bool commit) => Participant.Fire(commit ? ParticipantMachine.Trigger.Commit : ParticipantMachine.Trigger.Abort);

    public void OnDecided(bool commit, string reason)
    {
        _decidedCycle = _handler.Now;
        _handler.Ledger?.CoordinatorDecided(Spec.Instance, commit);
    }

    public void OnDone()
    {
        _handler.Ledger?.Ended(Spec.Instance);
        var c = Coordinator!;
        var committed = c.Record.Reason.Length == 0;
        var conflict = committed ? -1 : c.Record.Votes.Total.BlockedBy;
        _handler.Finish(new AgreementResult(Spec, committed, c.Record.Reason, StartCycle, _decidedCycle, _handler.Now) { ConflictWith = conflict });
    }

    public void VoteUp(Reply votes) => _handler.Send(Parent, AgreementMessages.Vote(Spec.Instance, votes));

    public void AckUp(long acks) => _handler.Send(Parent, AgreementMessages.Ack(Spec.Instance, acks));
}
