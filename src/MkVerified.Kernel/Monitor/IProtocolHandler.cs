using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Kernel.Monitor;

/// <summary>
/// One protocol's code on one core (agreement, capabilities, TLB shootdown): the monitor hands it every message whose
/// protocol id is <see cref="ProtocolId"/>, as soon as a poll pulls it in (before the next channel is polled, as
/// Barrelfish's waitset runs the handler of the first channel it finds with a message). A handler's state is private
/// to its core.
/// </summary>
public interface IProtocolHandler
{
    int ProtocolId { get; }

    /// <summary>True while this core has an unfinished protocol run (the monitor then waits as busy, not idle).</summary>
    bool Busy { get; }

    /// <summary>
    /// Handles one message from <paramref name="from"/> at this core's cycle <paramref name="clock"/>; replies and
    /// forwards go into <paramref name="outbox"/>. A protocol that does all its handling in <see cref="PerformAsync"/>
    /// leaves it out.
    /// </summary>
    void Handle(int from, in UrpcMessage message, long clock, Outbox outbox) { }

    /// <summary>
    /// Performs, after the outbox was sent, what handling <paramref name="message"/> takes beyond sending: memory
    /// accesses, TLB invalidations, sends that must come between them (through <see cref="CoreMonitor.SendAsync"/>),
    /// waits for replies (through <see cref="CoreMonitor.ServeOnceAsync"/>). Most protocols only send: the default does
    /// nothing.
    /// </summary>
    CoreTask PerformAsync(CoreContext ctx, int from, UrpcMessage message) => CoreTask.Completed;
}

/// <summary>Work a core starts on its own (a workload issuing agreements), run by the monitor between messages.</summary>
public interface ILocalWork
{
    /// <summary>True while there is work left to start (the monitor is then not idle).</summary>
    bool Pending { get; }

    /// <summary>Starts one piece of work if it can now; returns false when nothing was started.</summary>
    bool TryStep(long clock, Outbox outbox);
}
