using MkVerified.Hardware;

namespace MkVerified.Experiments.Output;

/// <summary>Writes NAME.csv, NAME.json and NAME.svg (plus one SVG per extra plot) into a directory; returns the files written.</summary>
public static class ResultFiles
{
    public static IReadOnlyList<string> Write(ExperimentResult result, string directory)
    {
        var files = new List<(string Path, string Text)>
        {
            (Path.Combine(directory, result.Experiment + ".csv"), CsvWriter.Render(result)),
            (Path.Combine(directory, result.Experiment + ".json"), JsonResultWriter.Render(result)),
        };
        foreach (var plot in result.Plots) files.Add((Path.Combine(directory, result.Experiment + plot.FileSuffix + ".svg"), SvgPlotWriter.Render(result, plot)));
        // Every file goes to a temporary name first and all are renamed together: a failure leaves no half-written or partial set.
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAll(files);
        return files.Select(f => f.Path).ToList();
    }
}
