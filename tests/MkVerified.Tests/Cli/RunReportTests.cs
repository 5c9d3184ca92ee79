using System.Text.RegularExpressions;
using MkVerified.Experiments;

namespace MkVerified.Tests.Cli;

[Collection("cli")]
public partial class RunReportTests
{
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [Fact]
    public void Run_writes_a_report_linking_every_experiments_svg_csv_and_json_all_of_which_exist()
    {
        var dir = Directory.CreateTempSubdirectory("mk-run-").FullName;
        try
        {
            var (exit, _, err) = CliRunner.Run("run", "--machine", "amd-2x2", "--out", dir);
            Assert.True(exit == 0, err);
            var report = File.ReadAllText(Path.Combine(dir, "report.md"));
            var links = MarkdownLink().Matches(report).Select(m => m.Groups[1].Value).ToHashSet();
            foreach (var experiment in ExperimentCatalog.All)
            {
                Assert.Contains($"## {experiment.Name}", report);
                foreach (var ext in new[] { ".svg", ".csv", ".json" }) Assert.Contains(experiment.Name + ext, links);
            }
            foreach (var link in links) Assert.True(File.Exists(Path.Combine(dir, link)), $"report.md links {link}, which was not written");
            var written = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Where(f => f != "report.md");
            foreach (var file in written) Assert.Contains(file, links); // no result file left unlinked
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
