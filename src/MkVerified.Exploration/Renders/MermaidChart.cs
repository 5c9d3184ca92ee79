using System.Text;

namespace MkVerified.Exploration.Renders;

/// <summary>A Mermaid <c>sequenceDiagram</c> of a replayed run (renders on GitHub): sends and acks as arrows, everything else as notes.</summary>
public static class MermaidChart
{
    public static string Render(ReplayResult replay, bool polls = false)
    {
        var t = replay.Trace;
        var sb = new StringBuilder();
        sb.AppendLine("sequenceDiagram");
        sb.AppendLine($"    title {Clean($"{t.Scenario} / {t.Variant} on {t.Machine} (policy {t.Policy}, seed {t.Seed})")}");
        foreach (var c in replay.CoreIds) sb.AppendLine($"    participant core{c}");
        foreach (var e in EventText.Fold(replay.Events, polls))
        {
            var text = Clean($"{EventText.Describe(e, t.Scenario)} (step {e.Step}, cycle {e.Cycle})");
            if (e.Peer >= 0 && e.Kind == "send") sb.AppendLine($"    core{e.Core}->>core{e.Peer}: {text}");
            else if (e.Peer >= 0 && e.Kind == "ack") sb.AppendLine($"    core{e.Core}-->>core{e.Peer}: {text}");
            else sb.AppendLine($"    Note over core{e.Core}: {text}");
        }
        var all = replay.CoreIds.Count > 1 ? $"core{replay.CoreIds[0]},core{replay.CoreIds[^1]}" : $"core{replay.CoreIds[0]}";
        sb.AppendLine($"    Note over {all}: {Clean(EventText.Verdict(replay))}");
        return sb.ToString();
    }

    /// <summary>Mermaid reads ';' as a statement end and '#' as an entity start.</summary>
    private static string Clean(string s) => s.Replace(';', ',').Replace('#', 'n').Replace("\n", " ");
}
