using MkVerified.Runtime;
using Stateless;
using Stateless.Reflection;

namespace MkVerified.Protocols.Agreement;

/// <summary>A participant's state, kept in our own record (Stateless reads and writes it through accessors).</summary>
public sealed class ParticipantRecord
{
    public ParticipantMachine.State State { get; set; } = ParticipantMachine.State.Idle;
    public bool HoldsLock { get; set; }
}

/// <summary>
/// One core's part in one agreement: on prepare it takes the object's lock and votes yes. When another agreement holds
/// the lock it applies wait-die by age (<see cref="AgreementSpec.Outranks"/>: the older operation, by the ticket its
/// first attempt took and every retry keeps, has priority): it waits for the lock when the holder has
/// lower priority, else votes no naming the holder; a waiter that is not granted the lock when it is freed votes no.
/// Waits only go from higher to lower priority, so they never form a cycle. On commit or abort it records the
/// decision, releases the lock and acknowledges.
/// </summary>
public sealed class ParticipantMachine
{
    public enum State { Idle, Waiting, Prepared, Refused, Committed, Aborted }
    public enum Trigger { Prepare, LockFreed, Commit, Abort }

    private readonly StateMachine<State, Trigger> _machine;

    public ParticipantMachine(ParticipantRecord record, IParticipantHost host, AgreementVariant variant)
    {
        Record = record;
        _machine = new StateMachine<State, Trigger>(() => record.State, s => record.State = s, FiringMode.Queued);
        _machine.OnUnhandledTrigger((s, t) => throw new SafetyViolationException($"core {host.Core}: participant got {t} in state {s}"));
        // Seeded bug (grant-before-decision): a lower-priority holder hands its lock over at once, decided or not.
        var grabs = variant == AgreementVariant.GrantBeforeDecision;
        _machine.Configure(State.Idle)
            .PermitIf(Trigger.Prepare, State.Prepared, () => host.ObjectFree || (grabs && host.HolderYields), "object unlocked")
            .PermitIf(Trigger.Prepare, State.Waiting, () => !host.ObjectFree && host.HolderYields && !grabs, "object locked by a lower-priority agreement")
            .PermitIf(Trigger.Prepare, State.Refused, () => !host.ObjectFree && !host.HolderYields, "object locked by a higher-priority agreement");
        _machine.Configure(State.Waiting)
            .OnEntry(host.WaitForLock, "wait for the lock")
            .PermitIf(Trigger.LockFreed, State.Prepared, () => host.ObjectFree, "lock granted")
            .PermitIf(Trigger.LockFreed, State.Refused, () => !host.ObjectFree, "lock granted to a higher-priority waiter");
        _machine.Configure(State.Prepared)
            .OnEntry(() =>
            {
                host.TakeLock();
                record.HoldsLock = true;
                host.CastVote(Reply.YesVote);
            }, "lock object; vote yes")
            .Permit(Trigger.Commit, State.Committed)
            .Permit(Trigger.Abort, State.Aborted);
        _machine.Configure(State.Refused)
            .OnEntry(() => host.CastVote(Reply.NoVote(host.Core, host.ObjectHolder)), "vote no, naming the holder")
            .Permit(Trigger.Abort, State.Aborted);
        _machine.Configure(State.Committed)
            .OnEntry(() =>
            {
                host.RecordDecision(true);
                Release(host, record);
                host.Acknowledge();
            }, "apply; release lock; ack");
        _machine.Configure(State.Aborted)
            .OnEntry(() =>
            {
                host.RecordDecision(false);
                if (variant != AgreementVariant.AbortKeepsLock) Release(host, record);
                host.Acknowledge();
            }, "release lock; ack");
    }

    public ParticipantRecord Record { get; }
    public bool Decided => Record.State is State.Committed or State.Aborted;

    public void Fire(Trigger trigger) => _machine.Fire(trigger);

    public StateMachineInfo Info => _machine.GetInfo();

    internal StateMachine<State, Trigger> Machine => _machine;

    private static void Release(IParticipantHost host, ParticipantRecord record)
    {
        if (!record.HoldsLock) return;
        host.ReleaseLock();
        record.HoldsLock = false;
    }
}
