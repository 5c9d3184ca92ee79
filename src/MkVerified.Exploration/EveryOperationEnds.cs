using Microsoft.Coyote.Specifications;
using CoyoteMonitor = Microsoft.Coyote.Specifications.Monitor;

namespace MkVerified.Exploration;

/// <summary>
/// Liveness specification: every operation a scenario starts ends. Hot from the start of each iteration until the
/// scenario's run ends with nothing outstanding (completed or quiescent); an iteration that stops while it is still
/// hot (the step budget ran out: a livelock, or operations that never finish) is a liveness bug reported by Coyote.
/// A deadlock is reported sooner and more precisely as a safety bug with each core's state.
/// </summary>
public sealed class EveryOperationEnds : CoyoteMonitor
{
    /// <summary>The scenario's run ended with every operation finished.</summary>
    public sealed class AllEnded : Event;

    [Start]
    [Hot]
    [OnEventGotoState(typeof(AllEnded), typeof(Ended))]
    private sealed class Running : State;

    [Cold]
    [IgnoreEvents(typeof(AllEnded))]
    private sealed class Ended : State;

    public static void Register() => Specification.RegisterMonitor<EveryOperationEnds>();

    public static void NotifyAllEnded() => Specification.Monitor<EveryOperationEnds>(new AllEnded());
}
