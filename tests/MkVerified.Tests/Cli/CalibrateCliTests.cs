namespace MkVerified.Tests.Cli;

[Collection("cli")]
public sealed class CalibrateCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-calibrate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Calibrate_prints_the_fit_and_writes_a_model_that_validates()
    {
        var file = Path.Combine(_dir, "fitted.json");
        var (exit, output, _) = CliRunner.Run("calibrate", "--machine", "amd-2x2", "--free", "homeOccupancy", "--out", file);
        Assert.Equal(0, exit);
        Assert.Contains("homeOccupancy = ", output);
        Assert.Contains("same-die", output);
        Assert.Contains("one-hop", output);
        var (validated, said, _) = CliRunner.Run("models", "validate", file);
        Assert.Equal(0, validated);
        Assert.Contains("amd-2x2", said);
    }

    [Theory]
    [InlineData("--free", "clockGHz", "'clockGHz' is not a fittable parameter")]
    [InlineData("--machine", "synthetic-256", "Table 2 has no figures for 'synthetic-256'")]
    [InlineData("--restarts", "-1", "--restarts must be in [0, 1000]")]
    public void Calibrate_refuses_bad_input_with_one_line(string option, string value, string problem)
    {
        var args = new List<string> { "calibrate", "--machine", "amd-2x2", "--free", "homeOccupancy" };
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (exit, output, err) = CliRunner.Run([.. args]);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(problem, Assert.Single(err.TrimEnd('\n').Split('\n')));
    }
}
