using System.Text;

namespace MkVerified.Exploration.Renders;

/// <summary>
/// A message sequence chart a person can follow: one column per core, one row per recorded event (send, receive,
/// ack, credit waits, transitions) with its scheduling step and the core's cycle, and the failed check at the end.
/// Columns are as wide as the longest cell: nothing is cut.
/// </summary>
public static class TextChart
{
    private const int MinColumn = 12;

    public static string Render(ReplayResult replay, bool polls = false)
    {
        var t = replay.Trace;
        var events = EventText.Fold(replay.Events, polls);
        var cells = events.Select(e => EventText.Describe(e, t.Scenario)).ToList();
        var column = Math.Max(MinColumn, cells.Count == 0 ? 0 : cells.Max(c => c.Length) + 1);
        var sb = new StringBuilder();
        sb.AppendLine($"{t.Scenario} / {t.Variant} on {t.Machine}, {t.Cores} cores, policy {t.Policy} (strategy {t.Strategy}, seed {t.Seed}, failing iteration {t.Iterations})");
        sb.Append("    step      cycle |");
        var cores = replay.CoreIds;
        foreach (var c in cores) sb.Append(' ').Append($"core {c}".PadRight(column)).Append('|');
        sb.AppendLine();
        sb.Append(new string('-', 20)).Append('+');
        foreach (var _ in cores) sb.Append(new string('-', column + 1)).Append('+');
        sb.AppendLine();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            sb.Append($"{e.Step,8} {e.Cycle,10} |");
            foreach (var c in cores) sb.Append(' ').Append((c == e.Core ? cells[i] : "").PadRight(column)).Append('|');
            sb.AppendLine();
        }
        sb.AppendLine(EventText.Verdict(replay));
        return sb.ToString();
    }
}
