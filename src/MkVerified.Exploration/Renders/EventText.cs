using MkVerified.Runtime;

namespace MkVerified.Exploration.Renders;

/// <summary>How a recorded event reads in a chart: transitions as "machine: State -Trigger-> Next", others as kind, peer and detail.</summary>
public static class EventText
{
    public static string Describe(TraceEvent e)
    {
        if (TransitionEvent.TryParse(e, out var machine, out var state, out var trigger))
        {
            var shortName = machine[(machine.LastIndexOf('.') + 1)..]; // the protocol is the scenario's
            return TransitionEvent.TryParseDestination(e, out var next)
                ? $"{shortName}: {state} -{trigger}-> {next}"
                : $"{shortName}: {state} -{trigger}->";
        }
        return e.Peer >= 0 ? $"{e.Kind} {Arrow(e.Kind)} {e.Peer}: {e.Detail}" : $"{e.Kind}: {e.Detail}";
    }

    /// <summary>Outgoing kinds point at the peer, incoming ones come from it.</summary>
    private static string Arrow(string kind) => kind is "recv" or "credit-from-ack-line" or "credit-piggybacked" or "poll-empty" or "credit-wait" ? "<-" : "->";
}
