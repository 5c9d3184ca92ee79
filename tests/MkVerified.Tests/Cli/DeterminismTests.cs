namespace MkVerified.Tests.Cli;

[Collection("cli")]
public class DeterminismTests
{
    [Theory]
    [InlineData("urpc", "amd-8x4")]
    [InlineData("shared-vs-messages", "amd-2x2")]
    [InlineData("2pc", "amd-2x2")]
    public void The_same_command_twice_gives_byte_identical_json(string experiment, string machine)
    {
        var first = CliRunner.Run("experiment", experiment, "--machine", machine, "--format", "json");
        var second = CliRunner.Run("experiment", experiment, "--machine", machine, "--format", "json");
        Assert.Equal(0, first.Exit);
        Assert.Equal(first.Out, second.Out);
        Assert.StartsWith($"{{\n  \"experiment\": \"{experiment}\",\n  \"machine\": \"{machine}\",\n  \"fitted\": [", first.Out);
        Assert.Contains("\n  \"rows\": [", first.Out);
    }

    [Fact]
    public void Out_writes_csv_json_and_svg()
    {
        var dir = Directory.CreateTempSubdirectory("mk-out-").FullName;
        try
        {
            var (exit, _, _) = CliRunner.Run("experiment", "urpc", "--machine", "amd-4x4", "--out", dir);
            Assert.Equal(0, exit);
            var csv = File.ReadAllLines(Path.Combine(dir, "urpc.csv"));
            Assert.StartsWith("path,from,to,latencyCycles,throughputMsgsPerKcycle", csv.SkipWhile(l => l.StartsWith('#')).First()); // after the provenance comments
            Assert.Contains("\"experiment\": \"urpc\"", File.ReadAllText(Path.Combine(dir, "urpc.json")));
            Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(dir, "urpc.svg")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
