using System.Text;

namespace MkVerified.Exploration.Renders;

/// <summary>
/// A message sequence chart a person can follow: one column per core, one row per recorded event (send, receive,
/// ack, credit waits, transitions) with its scheduling step and the core's cycle, and the bug at the end.
/// </summary>
public static class TextChart
{
    private const int Column = 44;

    public static string Render(ReplayResult replay)
    {
        var t = replay.Trace;
        var sb = new StringBuilder();
        sb.AppendLine($"{t.Scenario} / {t.Variant} on {t.Machine}, {t.Cores} cores, policy {t.Policy} (strategy {t.Strategy}, seed {t.Seed}, failing iteration {t.Iterations})");
        sb.Append("    step      cycle |");
        var cores = replay.CoreIds;
        foreach (var c in cores) sb.Append(' ').Append($"core {c}".PadRight(Column)).Append('|');
        sb.AppendLine();
        sb.Append(new string('-', 20)).Append('+');
        foreach (var _ in cores) sb.Append(new string('-', Column + 1)).Append('+');
        sb.AppendLine();
        foreach (var e in replay.Events)
        {
            sb.Append($"{e.Step,8} {e.Cycle,10} |");
            var cell = EventText.Describe(e);
            if (cell.Length > Column) cell = cell[..(Column - 1)] + "~";
            foreach (var c in cores) sb.Append(' ').Append((c == e.Core ? cell : "").PadRight(Column)).Append('|');
            sb.AppendLine();
        }
        sb.AppendLine(replay.BugMessage is null ? "no bug in the replayed run" : $"BUG: {replay.BugMessage}");
        return sb.ToString();
    }
}
