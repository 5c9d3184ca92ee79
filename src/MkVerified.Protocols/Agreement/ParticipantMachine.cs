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

    private static readonly MachinePool<ParticipantMachine> Pool = new();
    private readonly StateMachine<State, Trigger> _machine;
    private readonly AgreementVariant _variant;
    private IParticipantHost _host;

    public ParticipantMachine(ParticipantRecord record, IParticipantHost host, AgreementVariant variant)
    {
        Record = record;
        _host = host;
        _variant = variant;
        // The actions and guards read the record and host through this machine, so it can be rebound (see Rent).
        _machine = new StateMachine<State, Trigger>(() => Record.State, s => Record.State = s, FiringMode.Queued);
        _machine.OnUnhandledTrigger((s, t) => throw new SafetyViolationException($"core {_host.Core}: participant got {t} in state {s}"));
        // Seeded bug (grant-before-decision): a lower-priority holder hands its lock over at once, decided or not.
        var grabs = variant == AgreementVariant.GrantBeforeDecision;
        _machine.Configure(State.Idle)
            .PermitIf(Trigger.Prepare, State.Prepared, () => _host.ObjectFree || (grabs && _host.HolderYields), "object unlocked")
            .PermitIf(Trigger.Prepare, State.Waiting, () => !_host.ObjectFree && _host.HolderYields && !grabs, "object locked by a lower-priority agreement")
            .PermitIf(Trigger.Prepare, State.Refused, () => !_host.ObjectFree && !_host.HolderYields, "object locked by a higher-priority agreement");
        _machine.Configure(State.Waiting)
            .OnEntry(() => _host.WaitForLock(), "wait for the lock")
            .PermitIf(Trigger.LockFreed, State.Prepared, () => _host.ObjectFree, "lock granted")
            .PermitIf(Trigger.LockFreed, State.Refused, () => !_host.ObjectFree, "lock granted to a higher-priority waiter");
        _machine.Configure(State.Prepared)
            .OnEntry(() =>
            {
                _host.TakeLock();
                Record.HoldsLock = true;
                _host.CastVote(Reply.YesVote);
            }, "lock object; vote yes")
            .Permit(Trigger.Commit, State.Committed)
            .Permit(Trigger.Abort, State.Aborted);
        _machine.Configure(State.Refused)
            .OnEntry(() => _host.CastVote(Reply.NoVote(_host.Core, _host.ObjectHolder)), "vote no, naming the holder")
            .Permit(Trigger.Abort, State.Aborted);
        _machine.Configure(State.Committed)
            .OnEntry(() =>
            {
                _host.RecordDecision(true);
                Release(_host, Record);
                _host.Acknowledge();
            }, "apply; release lock; ack");
        _machine.Configure(State.Aborted)
            .OnEntry(() =>
            {
                _host.RecordDecision(false);
                if (variant != AgreementVariant.AbortKeepsLock) Release(_host, Record);
                _host.Acknowledge();
            }, "release lock; ack");
    }

    /// <summary>A machine for a new agreement: a recycled one rebound to <paramref name="record"/> and <paramref name="host"/>, or a new one.</summary>
    public static ParticipantMachine Rent(ParticipantRecord record, IParticipantHost host, AgreementVariant variant)
    {
        if (Pool.Take(variant) is not { } machine) return new ParticipantMachine(record, host, variant);
        machine.Record = record;
        machine._host = host;
        return machine;
    }

    /// <summary>Gives the machine back for reuse: only once its run ended without an exception (no trigger left queued) and nothing observes it.</summary>
    public void Recycle() => Pool.Give(_variant, this);

    public ParticipantRecord Record { get; private set; }
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
