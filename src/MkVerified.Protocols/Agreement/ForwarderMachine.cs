using MkVerified.Runtime;
using Stateless;
using Stateless.Reflection;

namespace MkVerified.Protocols.Agreement;

public sealed class ForwarderRecord(ReplyTally votes, ReplyTally acks)
{
    public ForwarderMachine.State State { get; set; } = ForwarderMachine.State.Idle;
    public ReplyTally Votes { get; } = votes;
    public ReplyTally Acks { get; } = acks;
}

/// <summary>
/// An interior tree node (a package's aggregation core): fans prepare and the decision out to its children, and
/// replies to its parent once, with its own reply and all its children's summed, only when every child replied.
/// </summary>
public sealed class ForwarderMachine
{
    public enum State { Idle, CollectingVotes, VotedUp, CollectingAcks, Done }
    public enum Trigger { Prepare, VoteArrived, Commit, Abort, AckArrived }

    private static readonly MachinePool<ForwarderMachine> Pool = new();
    private readonly StateMachine<State, Trigger> _machine;
    private readonly AgreementVariant _variant;
    private IForwarderHost _host;

    public ForwarderMachine(ForwarderRecord record, IForwarderHost host, AgreementVariant variant)
    {
        Record = record;
        _host = host;
        _variant = variant;
        // The actions and guards read the record and host through this machine, so it can be rebound (see Rent).
        _machine = new StateMachine<State, Trigger>(() => Record.State, s => Record.State = s, FiringMode.Queued);
        _machine.OnUnhandledTrigger((s, t) => throw new SafetyViolationException($"forwarder got {t} in state {s}"));
        _machine.Configure(State.Idle).Permit(Trigger.Prepare, State.CollectingVotes);
        _machine.Configure(State.CollectingVotes)
            .OnEntry(() =>
            {
                _host.FanOutPrepare();
                _host.PrepareLocally();
            }, "send prepare to children; prepare locally")
            .PermitIf(Trigger.VoteArrived, State.VotedUp, () => Record.Votes.Complete, "own and every child's vote in")
            .IgnoreIf(Trigger.VoteArrived, () => !Record.Votes.Complete, "votes missing");
        _machine.Configure(State.VotedUp)
            .OnEntry(() => _host.VoteUp(Record.Votes.Total), "send the subtree's votes to the parent")
            .Permit(Trigger.Commit, State.CollectingAcks)
            .Permit(Trigger.Abort, State.CollectingAcks);
        _machine.Configure(State.CollectingAcks)
            .OnEntryFrom(Trigger.Commit, () => Pass(_host, true), "send commit to children; commit locally")
            .OnEntryFrom(Trigger.Abort, () => Pass(_host, false), "send abort to children; abort locally")
            .PermitIf(Trigger.AckArrived, State.Done, () => Record.Acks.Complete, "own and every child's ack in")
            .IgnoreIf(Trigger.AckArrived, () => !Record.Acks.Complete, "acks missing");
        _machine.Configure(State.Done).OnEntry(() => _host.AckUp(Record.Acks.Total.Yes), "send the subtree's acks to the parent");
        if (variant == AgreementVariant.AggregatorForwardsEarly)
        {
            // Seeded bug: having replied early, the forwarder drops the replies that come after.
            _machine.Configure(State.VotedUp).Ignore(Trigger.VoteArrived);
            _machine.Configure(State.CollectingAcks).Ignore(Trigger.VoteArrived);
            _machine.Configure(State.Done).Ignore(Trigger.VoteArrived).Ignore(Trigger.AckArrived);
        }
    }

    /// <summary>A machine for a new agreement: a recycled one rebound to <paramref name="record"/> and <paramref name="host"/>, or a new one.</summary>
    public static ForwarderMachine Rent(ForwarderRecord record, IForwarderHost host, AgreementVariant variant)
    {
        if (Pool.Take(variant) is not { } machine) return new ForwarderMachine(record, host, variant);
        machine.Record = record;
        machine._host = host;
        return machine;
    }

    /// <summary>Gives the machine back for reuse: only once its run ended without an exception (no trigger left queued) and nothing observes it.</summary>
    public void Recycle() => Pool.Give(_variant, this);

    public ForwarderRecord Record { get; private set; }
    public bool IsDone => Record.State == State.Done;

    public void Fire(Trigger trigger) => _machine.Fire(trigger);

    public StateMachineInfo Info => _machine.GetInfo();

    internal StateMachine<State, Trigger> Machine => _machine;

    private static void Pass(IForwarderHost host, bool commit)
    {
        host.FanOutDecision(commit);
        host.DecideLocally(commit);
    }
}
