namespace MkVerified.Experiments.Output;

/// <summary>Writes NAME.csv, NAME.json and NAME.svg (plus one SVG per extra plot) into a directory; returns the files written.</summary>
public static class ResultFiles
{
    public static IReadOnlyList<string> Write(ExperimentResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Put(string file, string text)
        {
            // Write to a temporary name first so an interrupted run never leaves a half-written file under the real name.
            var path = Path.Combine(directory, file);
            var temp = path + ".tmp";
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
            written.Add(path);
        }
        Put(result.Experiment + ".csv", CsvWriter.Render(result));
        Put(result.Experiment + ".json", JsonResultWriter.Render(result));
        foreach (var plot in result.Plots) Put(result.Experiment + plot.FileSuffix + ".svg", SvgPlotWriter.Render(result, plot));
        return written;
    }
}
