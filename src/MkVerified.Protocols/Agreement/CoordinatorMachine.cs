using MkVerified.Runtime;
using Stateless;
using Stateless.Reflection;

namespace MkVerified.Protocols.Agreement;

public sealed class CoordinatorRecord(ReplyTally votes, ReplyTally acks)
{
    public CoordinatorMachine.State State { get; set; } = CoordinatorMachine.State.Idle;
    public ReplyTally Votes { get; } = votes;
    public ReplyTally Acks { get; } = acks;
    public string Reason { get; set; } = "";
}

/// <summary>
/// The root of an agreement: prepares every participant down the tree, collects the aggregated votes, decides
/// (commit only if every participant voted yes), sends the decision down, and is done when every ack is in.
/// </summary>
public sealed class CoordinatorMachine
{
    public enum State { Idle, Preparing, Committing, Aborting, Done }
    public enum Trigger { Start, VoteArrived, AckArrived }
    private enum Verdict { Wait, Commit, Abort }

    private static readonly MachinePool<CoordinatorMachine> Pool = new();
    private readonly StateMachine<State, Trigger> _machine;
    private readonly AgreementVariant _variant;
    private ICoordinatorHost _host;

    public CoordinatorMachine(CoordinatorRecord record, ICoordinatorHost host, AgreementVariant variant)
    {
        Record = record;
        _host = host;
        _variant = variant;
        // The actions and guards read the record and host through this machine, so it can be rebound (see Rent).
        _machine = new StateMachine<State, Trigger>(() => Record.State, s => Record.State = s, FiringMode.Queued);
        _machine.OnUnhandledTrigger((s, t) => throw new SafetyViolationException($"coordinator got {t} in state {s}"));
        _machine.Configure(State.Idle).Permit(Trigger.Start, State.Preparing);
        _machine.Configure(State.Preparing)
            .OnEntry(() =>
            {
                _host.FanOutPrepare();
                _host.PrepareLocally();
            }, "send prepare down the tree; prepare locally")
            .PermitIf(Trigger.VoteArrived, State.Committing, () => Decide() == Verdict.Commit, "every participant voted yes")
            .PermitIf(Trigger.VoteArrived, State.Aborting, () => Decide() == Verdict.Abort, "all replied, some voted no")
            .IgnoreIf(Trigger.VoteArrived, () => Decide() == Verdict.Wait, "votes missing");
        _machine.Configure(State.Committing)
            .OnEntry(() => Announce(true, ""), "decide commit; send commit down; commit locally")
            .PermitIf(Trigger.AckArrived, State.Done, () => Record.Acks.Complete, "every participant acked")
            .IgnoreIf(Trigger.AckArrived, () => !Record.Acks.Complete, "acks missing");
        _machine.Configure(State.Aborting)
            .OnEntry(() => Announce(false, AbortReason()), "decide abort; send abort down; abort locally")
            .PermitIf(Trigger.AckArrived, State.Done, () => Record.Acks.Complete, "every participant acked")
            .IgnoreIf(Trigger.AckArrived, () => !Record.Acks.Complete, "acks missing");
        _machine.Configure(State.Done).OnEntry(() => _host.OnDone(), "report the outcome");
        // Seeded bug: having decided early, the coordinator drops the votes that come after its decision.
        if (variant == AgreementVariant.CommitOnFirstYes) _machine.Configure(State.Committing).Ignore(Trigger.VoteArrived);
    }

    /// <summary>A machine for a new agreement: a recycled one rebound to <paramref name="record"/> and <paramref name="host"/>, or a new one.</summary>
    public static CoordinatorMachine Rent(CoordinatorRecord record, ICoordinatorHost host, AgreementVariant variant)
    {
        if (Pool.Take(variant) is not { } machine) return new CoordinatorMachine(record, host, variant);
        machine.Record = record;
        machine._host = host;
        return machine;
    }

    /// <summary>Gives the machine back for reuse: only once its run ended without an exception (no trigger left queued) and nothing observes it.</summary>
    public void Recycle() => Pool.Give(_variant, this);

    public CoordinatorRecord Record { get; private set; }
    public bool IsDone => Record.State == State.Done;

    public void Fire(Trigger trigger) => _machine.Fire(trigger);

    public StateMachineInfo Info => _machine.GetInfo();

    internal StateMachine<State, Trigger> Machine => _machine;

    private Verdict Decide()
    {
        var votes = Record.Votes;
        if (_variant == AgreementVariant.CommitOnFirstYes && votes.OwnYes && votes.AnyChildYes) return Verdict.Commit;
        if (!votes.Complete) return Verdict.Wait;
        var total = votes.Total;
        return total.No == 0 && total.Yes == _host.ParticipantCount ? Verdict.Commit : Verdict.Abort;
    }

    private string AbortReason()
    {
        var total = Record.Votes.Total;
        if (total.FirstNo >= 0)
            return $"conflict with agreement {AgreementSpec.Describe(total.BlockedBy)} on object {_host.Object}: core {total.FirstNo} voted no";
        return $"{total.Yes} of {_host.ParticipantCount} participants voted yes";
    }

    private void Announce(bool commit, string reason)
    {
        Record.Reason = reason;
        _host.OnDecided(commit, reason);
        _host.FanOutDecision(commit);
        _host.DecideLocally(commit);
    }
}
