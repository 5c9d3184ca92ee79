using System.Text;

namespace MkVerified.Experiments.Output;

/// <summary>Writes an experiment's rows as CSV (header = union of fields in first-seen order).</summary>
public static class CsvWriter
{
    public static string Render(ExperimentResult result)
    {
        var columns = result.Rows.SelectMany(r => r.Fields.Select(f => f.Key)).Distinct().ToList();
        var sb = new StringBuilder();
        // Provenance as '#' comment lines before the header (read with comment='#' in pandas, or skip lines starting with '#').
        if (result.Provenance is { } p)
            foreach (var line in p.Lines()) sb.Append("# ").Append(line).Append('\n');
        sb.Append(string.Join(",", columns)).Append('\n');
        foreach (var row in result.Rows)
            sb.Append(string.Join(",", columns.Select(c => row.Has(c) ? Escape(ValueFormat.Text(row[c])) : ""))).Append('\n');
        return sb.ToString();
    }

    private static string Escape(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
