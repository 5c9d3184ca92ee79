using System.Globalization;
using System.Net;
using System.Text;

namespace MkVerified.Experiments.Output;

/// <summary>
/// Hand-written SVG plots (deterministic text, no native dependencies): a line chart with numeric x, or grouped
/// bars with categorical x; axes with round ticks, a legend and the machine in the title.
/// </summary>
public static class SvgPlotWriter
{
    private const int PlotWidth = 540, Height = 500, Left = 80, MinRight = 200, Top = 50, Bottom = 60;
    private const double CharWidth = 7.2; // a generous width of one 12px sans-serif character, to size the legend
    private static readonly string[] Dashes = ["", "7 3", "2 3", "9 3 2 3"];
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];

    public static string Render(ExperimentResult result, PlotSpec plot)
    {
        var rows = result.Rows.Where(r => plot.Include?.Invoke(r) ?? true).ToList();
        var series = BuildSeries(rows, plot);
        // The legend gets the room its longest name needs, so nothing is clipped.
        var right = Math.Max(MinRight, (int)Math.Ceiling(48 + CharWidth * series.Select(x => x.Name.Length).DefaultIfEmpty(0).Max()));
        var width = Left + PlotWidth + right;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{Height}\" viewBox=\"0 0 {width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{Esc(plot.Title)} — {Esc(result.Machine)}</text>\n");
        var values = series.SelectMany(s => s.Points.Select(p => p.Y)).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).ToList();
        var yMax = NiceCeiling(Math.Max(values.Max(), 1e-9));
        var plotW = PlotWidth;
        var plotH = Height - Top - Bottom;
        double Y(double v) => Top + plotH - v / yMax * plotH;
        // y axis and grid
        for (var i = 0; i <= 5; i++)
        {
            var v = yMax * i / 5;
            var y = Y(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + plotW}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Esc(Tick(v))}</text>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"black\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Left + plotW}\" y2=\"{Top + plotH}\" stroke=\"black\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Esc(plot.XLabel)}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{Top + plotH / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {Top + plotH / 2})\">{Esc(plot.YLabel)}</text>\n");

        if (plot.Bars) Bars(sb, series, plotW, plotH, Y);
        else Lines(sb, series, plotW, plotH, Y);

        // legend: bars by their colour; lines by colour, dash pattern and marker, as drawn
        for (var i = 0; i < series.Count; i++)
        {
            var y = Top + 10 + i * 18;
            if (plot.Bars) sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + plotW + 15}\" y=\"{y - 9}\" width=\"12\" height=\"12\" fill=\"{Color(i)}\"/>\n");
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left + plotW + 10}\" y1=\"{y - 3}\" x2=\"{Left + plotW + 38}\" y2=\"{y - 3}\" stroke=\"{Color(i)}\" stroke-width=\"2\"{Dash(series, i)}/>\n");
                Marker(sb, i, Left + plotW + 24, y - 3);
            }
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW + 44}\" y=\"{y + 1}\">{Esc(series[i].Name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private sealed record Series(string Name, List<(string X, double Y)> Points);

    private static List<Series> BuildSeries(List<ResultRow> rows, PlotSpec plot)
    {
        var result = new List<Series>();
        if (plot.SeriesOf is { } seriesOf)
        {
            foreach (var row in rows)
            {
                if (!row.Has(plot.YFields[0])) continue;
                var name = seriesOf(row);
                var s = result.FirstOrDefault(x => x.Name == name);
                if (s is null) result.Add(s = new Series(name, []));
                s.Points.Add((ValueFormat.Text(row[plot.XField]), ValueFormat.Number(row[plot.YFields[0]])));
            }
        }
        else
        {
            foreach (var field in plot.YFields)
                result.Add(new Series(Label(field, plot.YFields), rows.Select(r => (ValueFormat.Text(r[plot.XField]), r.Has(field) ? ValueFormat.Number(r[field]) : double.NaN)).ToList()));
        }
        return result;
    }

    private static void Lines(StringBuilder sb, List<Series> series, int plotW, int plotH, Func<double, double> y)
    {
        var xs = series.SelectMany(s => s.Points.Select(p => double.Parse(p.X, CultureInfo.InvariantCulture))).DefaultIfEmpty(0).ToList();
        double xMin = xs.Min(), xMax = Math.Max(xs.Max(), xMin + 1);
        double X(double v) => Left + (v - xMin) / (xMax - xMin) * plotW;
        foreach (var v in xs.Distinct().OrderBy(v => v))
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(v):0.#}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Esc(Tick(v))}</text>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var pts = series[i].Points.Where(p => !double.IsNaN(p.Y))
                .Select(p => (X: X(double.Parse(p.X, CultureInfo.InvariantCulture)), Y: y(p.Y))).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Color(i)}\" stroke-width=\"2\"{Dash(series, i)} points=\"{string.Join(" ", pts.Select(p => FormattableString.Invariant($"{p.X:0.#},{p.Y:0.#}")))}\"/>\n");
            foreach (var p in pts) Marker(sb, i, p.X, p.Y);
        }
    }

    private static void Bars(StringBuilder sb, List<Series> series, int plotW, int plotH, Func<double, double> y)
    {
        var categories = series.SelectMany(s => s.Points.Select(p => p.X)).Distinct().ToList();
        if (categories.Count == 0) return;
        var groupW = plotW / (double)categories.Count;
        var barW = groupW * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            var gx = Left + c * groupW;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{gx + groupW / 2:0.#}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Esc(categories[c])}</text>\n");
            for (var s = 0; s < series.Count; s++)
            {
                var point = series[s].Points.FirstOrDefault(p => p.X == categories[c]);
                if (point.X is null || double.IsNaN(point.Y)) continue;
                var x = gx + groupW * 0.1 + s * barW;
                var top = y(point.Y);
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{top:0.#}\" width=\"{barW:0.#}\" height=\"{Top + plotH - top:0.#}\" fill=\"{Color(s)}\"><title>{Esc(series[s].Name)}: {Esc(Tick(point.Y))}</title></rect>\n");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + barW / 2:0.#}\" y=\"{top - 3:0.#}\" text-anchor=\"middle\" font-size=\"10\">{Esc(Tick(point.Y))}</text>\n");
            }
        }
    }

    private static string Color(int i) => Palette[i % Palette.Length];

    /// <summary>
    /// Series that coincide must stay visible: each has its own dash pattern (or, where series are messages vs shared
    /// memory, dashed for messages) and its own hollow marker shape, so a line drawn over another still shows the other's marks.
    /// </summary>
    private static string Dash(List<Series> series, int i)
    {
        var pattern = series.Any(s => s.Name.StartsWith("message", StringComparison.Ordinal))
            ? (series[i].Name.StartsWith("message", StringComparison.Ordinal) ? "6 3" : "")
            : Dashes[i % Dashes.Length];
        return pattern.Length == 0 ? "" : $" stroke-dasharray=\"{pattern}\"";
    }

    private static void Marker(StringBuilder sb, int i, double x, double y)
    {
        var style = $"fill=\"white\" stroke=\"{Color(i)}\" stroke-width=\"1.5\"";
        switch (i % 4)
        {
            case 0: sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"3.5\" {style}/>\n"); break;
            case 1: sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x - 3.5:0.#}\" y=\"{y - 3.5:0.#}\" width=\"7\" height=\"7\" {style}/>\n"); break;
            case 2: sb.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{x:0.#},{y - 4.5:0.#} {x + 4.5:0.#},{y + 3.5:0.#} {x - 4.5:0.#},{y + 3.5:0.#}\" {style}/>\n"); break;
            default: sb.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{x:0.#},{y - 5:0.#} {x + 5:0.#},{y:0.#} {x:0.#},{y + 5:0.#} {x - 5:0.#},{y:0.#}\" {style}/>\n"); break;
        }
    }

    private static readonly (string Suffix, string Unit)[] Units =
    [
        ("MsgsPerKcycle", "messages per 1000 cycles"),
        ("OpsPerKcycle", "operations per 1000 cycles"),
        ("Cycles", "cycles"),
        ("Percent", "%"),
    ];

    /// <summary>
    /// A legend name for a field: camelCase split into words, the unit in parentheses ("paperLatencyCycles" ->
    /// "paper latency (cycles)"); when a plot sets fields against the paper's, the others read "emulated ...".
    /// </summary>
    public static string Label(string field, IReadOnlyList<string> fields)
    {
        var (stem, unit) = (field, "");
        foreach (var (suffix, name) in Units)
        {
            if (!field.EndsWith(suffix, StringComparison.Ordinal) || field.Length == suffix.Length) continue;
            (stem, unit) = (field[..^suffix.Length], $" ({name})");
            break;
        }
        var words = new StringBuilder();
        foreach (var ch in stem)
        {
            if (char.IsUpper(ch) && words.Length > 0) words.Append(' ');
            words.Append(char.ToLowerInvariant(ch));
        }
        var paper = fields.Any(f => f.StartsWith("paper", StringComparison.Ordinal));
        var prefix = paper && !field.StartsWith("paper", StringComparison.Ordinal) ? "emulated " : "";
        return prefix + words + unit;
    }

    private static double NiceCeiling(double v)
    {
        var exp = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
            if (m * exp >= v) return m * exp;
        return 10 * exp;
    }

    private static string Tick(double v) => v.ToString(Math.Abs(v) >= 100 || v == Math.Floor(v) ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
