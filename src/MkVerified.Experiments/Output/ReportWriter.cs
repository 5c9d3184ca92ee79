using System.Text;

namespace MkVerified.Experiments.Output;

/// <summary>The main job's report.md: one section per experiment with its table, notes and plots, linked.</summary>
public static class ReportWriter
{
    public static string Render(string machine, string description, IReadOnlyList<ExperimentResult> results, IReadOnlyList<string> toolNotes, Provenance? provenance = null)
    {
        var sb = new StringBuilder();
        sb.Append("# MkVerified run on ").Append(machine).Append("\n\n").Append(description).Append("\n\n");
        foreach (var note in toolNotes) sb.Append("- ").Append(note).Append('\n');
        sb.Append('\n');
        if (provenance is not null)
        {
            sb.Append("Provenance:\n\n");
            foreach (var line in provenance.Lines()) sb.Append("- ").Append(line).Append('\n');
            sb.Append('\n');
        }
        foreach (var r in results)
        {
            sb.Append("## ").Append(r.Experiment).Append("\n\n");
            foreach (var plot in r.Plots) sb.Append("![").Append(plot.Title).Append("](").Append(r.Experiment).Append(plot.FileSuffix).Append(".svg)\n\n");
            sb.Append("Data: [").Append(r.Experiment).Append(".csv](").Append(r.Experiment).Append(".csv), [").Append(r.Experiment).Append(".json](").Append(r.Experiment).Append(".json)\n\n");
            var columns = r.Rows.SelectMany(x => x.Fields.Select(f => f.Key)).Distinct().ToList();
            sb.Append("| ").Append(string.Join(" | ", columns)).Append(" |\n|").Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
            foreach (var row in r.Rows) sb.Append("| ").Append(string.Join(" | ", columns.Select(c => row.Has(c) ? ValueFormat.Text(row[c]) : ""))).Append(" |\n");
            sb.Append('\n');
            if (r.Fitted.Count > 0)
                sb.Append("- **Fitted** (the model's parameters were chosen to reproduce these; agreement here is by construction, not validation): ")
                  .Append(string.Join(", ", r.Fitted)).Append('\n');
            if (r.Predicted.Count > 0)
                sb.Append("- **Predicted** (from the fitted parameters and the protocols' own messages; nothing fitted to them): ")
                  .Append(string.Join(", ", r.Predicted)).Append('\n');
            foreach (var note in r.Notes) sb.Append("- ").Append(note).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
