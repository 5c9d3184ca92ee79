using MkVerified.Runtime;

namespace MkVerified.Exploration.Renders;

/// <summary>
/// How a recorded event reads in a chart: transitions as "machine: State -Trigger-> Next", messages with their type
/// named (<see cref="MessageNames"/>), URPC acks as <c>urpc.Ack</c>, folded empty polls as a count.
/// </summary>
public static class EventText
{
    /// <summary>The kind of a row that stands for several empty polls (see <see cref="Fold"/>).</summary>
    public const string PollsKind = "polls-empty";

    public static string Describe(TraceEvent e, string scenario)
    {
        if (TransitionEvent.TryParse(e, out var machine, out var state, out var trigger))
        {
            var shortName = machine[(machine.LastIndexOf('.') + 1)..]; // the protocol is the scenario's
            return TransitionEvent.TryParseDestination(e, out var next)
                ? $"{shortName}: {state} -{trigger}-> {next}"
                : $"{shortName}: {state} -{trigger}->";
        }
        if (e.Kind == Emulation.FailedCheckKind) return $"CHECK FAILED: {e.Detail}";
        if (e.Kind == PollsKind) return e.Detail;
        var kind = e.Kind == "ack" ? "urpc.Ack" : e.Kind;
        var detail = MessageNames.InDetail(scenario, e.Detail);
        return e.Peer >= 0 ? $"{kind} {Arrow(e.Kind)} {e.Peer}: {detail}" : $"{kind}: {detail}";
    }

    /// <summary>
    /// The events a render shows. Unless <paramref name="polls"/> is set, a core's consecutive empty polls (no other
    /// event of that core between them) become one row, "3 empty polls <- 4, 5", in the place of the last of them.
    /// </summary>
    public static IReadOnlyList<TraceEvent> Fold(IReadOnlyList<TraceEvent> events, bool polls)
    {
        if (polls) return events;
        // Each core's current run of empty polls: the indexes of its events.
        var runs = new Dictionary<int, List<int>>();
        var replace = new Dictionary<int, TraceEvent>(); // index of a run's last poll -> the folded row
        var dropped = new HashSet<int>();
        void Close(int core)
        {
            if (!runs.Remove(core, out var run) || run.Count == 1) return;
            var last = events[run[^1]];
            var peers = string.Join(", ", run.Select(i => events[i].Peer).Distinct().Order());
            replace[run[^1]] = last with { Kind = PollsKind, Peer = -1, Detail = $"{run.Count} empty polls <- {peers}" };
            for (var k = 0; k < run.Count - 1; k++) dropped.Add(run[k]);
        }
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Kind != "poll-empty")
            {
                Close(e.Core);
                continue;
            }
            if (!runs.TryGetValue(e.Core, out var run)) runs[e.Core] = run = [];
            run.Add(i);
        }
        foreach (var core in runs.Keys.ToList()) Close(core);
        var result = new List<TraceEvent>(events.Count - dropped.Count);
        for (var i = 0; i < events.Count; i++)
            if (!dropped.Contains(i)) result.Add(replace.TryGetValue(i, out var folded) ? folded : events[i]);
        return result;
    }

    /// <summary>The closing line: the failed check with its core, cycle and step when a core's code failed it, else the bug as replay saw it.</summary>
    public static string Verdict(ReplayResult replay)
    {
        if (replay.BugMessage is null) return "no bug in the replayed run";
        var failed = replay.Events.LastOrDefault(e => e.Kind == Emulation.FailedCheckKind);
        if (failed is not null) return $"BUG on core {failed.Core} at cycle {failed.Cycle} (step {failed.Step}): {replay.BugMessage}";
        var end = replay.Events.Count == 0 ? 0 : replay.Events.Max(e => e.Cycle);
        return $"BUG found when the run ended (last event at cycle {end}): {replay.BugMessage}";
    }

    /// <summary>Outgoing kinds point at the peer, incoming ones come from it.</summary>
    private static string Arrow(string kind) => kind is "recv" or "credit-from-ack-line" or "credit-piggybacked" or "poll-empty" or "credit-wait" ? "<-" : "->";
}
