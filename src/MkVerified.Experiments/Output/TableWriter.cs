using System.Text;

namespace MkVerified.Experiments.Output;

/// <summary>Renders an experiment as an aligned text table for the terminal.</summary>
public static class TableWriter
{
    public static string Render(ExperimentResult result)
    {
        var columns = result.Rows.SelectMany(r => r.Fields.Select(f => f.Key)).Distinct().ToList();
        var cells = result.Rows.Select(r => columns.Select(c => r.Has(c) ? ValueFormat.Text(r[c]) : "").ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(row => row[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.Append("# ").Append(result.Experiment).Append(" on ").Append(result.Machine).Append('\n');
        sb.Append(string.Join("  ", columns.Select((c, i) => c.PadLeft(widths[i])))).Append('\n');
        sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in cells) sb.Append(string.Join("  ", row.Select((v, i) => v.PadLeft(widths[i])))).Append('\n');
        foreach (var note in result.Notes) sb.Append("note: ").Append(note).Append('\n');
        return sb.ToString();
    }
}
