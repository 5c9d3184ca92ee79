using System.Text;

namespace MkVerified.Exploration.Renders;

/// <summary>
/// A message sequence chart a person can follow: one column per core, one row per recorded event (send, receive,
/// ack, credit waits, transitions) with its scheduling step and the core's cycle, and the bug at the end.
/// </summary>
public static class TextChart
{
    private const int Column = 38;

    public static string Render(ReplayResult replay)
    {
        var t = replay.Trace;
        var sb = new StringBuilder();
        sb.AppendLine($"{t.Scenario} / {t.Variant} on {t.Machine}, {t.Cores} cores, policy {t.Policy} (strategy {t.Strategy}, seed {t.Seed}, failing iteration {t.Iterations})");
        sb.Append("    step      cycle |");
        for (var c = 0; c < replay.Cores; c++) sb.Append(' ').Append($"core {c}".PadRight(Column)).Append('|');
        sb.AppendLine();
        sb.Append(new string('-', 20)).Append('+');
        for (var c = 0; c < replay.Cores; c++) sb.Append(new string('-', Column + 1)).Append('+');
        sb.AppendLine();
        foreach (var e in replay.Events)
        {
            sb.Append($"{e.Step,8} {e.Cycle,10} |");
            var cell = e.Peer >= 0 ? $"{e.Kind} {Arrow(e.Kind)} {e.Peer}: {e.Detail}" : $"{e.Kind}: {e.Detail}";
            if (cell.Length > Column) cell = cell[..(Column - 1)] + "~";
            for (var c = 0; c < replay.Cores; c++) sb.Append(' ').Append((c == e.Core ? cell : "").PadRight(Column)).Append('|');
            sb.AppendLine();
        }
        sb.AppendLine(replay.BugMessage is null ? "no bug in the replayed run" : $"BUG: {replay.BugMessage}");
        return sb.ToString();
    }

    /// <summary>Outgoing kinds point at the peer, incoming ones come from it.</summary>
    private static string Arrow(string kind) => kind is "recv" or "credit-from-ack-line" or "credit-piggybacked" or "poll-empty" or "credit-wait" ? "<-" : "->";
}
