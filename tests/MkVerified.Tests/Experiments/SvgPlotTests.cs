using System.Text.RegularExpressions;
using MkVerified.Experiments;
using MkVerified.Experiments.Output;

namespace MkVerified.Tests.Experiments;

public partial class SvgPlotTests
{
    [GeneratedRegex("<svg [^>]*width=\"(\\d+)\"")]
    private static partial Regex SvgWidth();

    [Theory]
    [InlineData("latencyCycles", "emulated latency (cycles)")]
    [InlineData("paperLatencyCycles", "paper latency (cycles)")]
    [InlineData("throughputMsgsPerKcycle", "emulated throughput (messages per 1000 cycles)")]
    public void Legend_names_are_words_with_units_not_column_names(string field, string label) =>
        Assert.Equal(label, SvgPlotWriter.Label(field, ["latencyCycles", "paperLatencyCycles"]));

    [Fact]
    public void The_legend_is_wide_enough_for_its_longest_name_and_coinciding_series_keep_distinct_marks()
    {
        var rows = new List<ResultRow>();
        foreach (var name in new[] { "a", "a series whose name is much longer than the default legend column" })
            for (var x = 1; x <= 3; x++) rows.Add(new ResultRow().Add("series", name).Add("x", (long)x).Add("y", 10L)); // identical values
        var result = new ExperimentResult("t", "m", rows, [], []);
        var svg = SvgPlotWriter.Render(result, new PlotSpec("T", "x", ["y"], "x", "y", SeriesOf: r => (string)r["series"]));
        var width = int.Parse(SvgWidth().Match(svg).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(width >= 80 + 540 + 44 + 7 * rows[^1]["series"].ToString()!.Length, $"svg width {width} clips the legend");
        // The two lines coincide: one solid, one dashed, and each point carries both a circle and a square.
        Assert.Equal(2, Regex.Count(svg, "<polyline"));
        Assert.Single(Regex.Matches(svg, "<polyline[^>]*stroke-dasharray"));
        Assert.Equal(3 + 1, Regex.Count(svg, "<circle")); // 3 points + the legend's sample
        Assert.Equal(3 + 1, Regex.Count(svg, "<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"7\""));
    }
}
