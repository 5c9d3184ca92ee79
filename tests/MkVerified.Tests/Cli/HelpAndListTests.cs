using System.Text.Json;
using MkVerified.Experiments;

namespace MkVerified.Tests.Cli;

[Collection("cli")]
public class HelpAndListTests
{
    [Theory]
    [InlineData]
    [InlineData("help")]
    [InlineData("--help")]
    public void Mk_alone_and_mk_help_print_the_help_and_exit_0(params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("Usage:", output);
        foreach (var command in new[] { "run", "experiment", "models", "explore", "replay" }) Assert.Contains($"  {command} ", output);
    }

    [Fact]
    public void Mk_help_command_prints_that_commands_help()
    {
        var (exit, output, _) = CliRunner.Run("help", "replay");
        Assert.Equal(0, exit);
        Assert.Contains(" replay <trace> [options]", output); // after the program name (mk, or the test host here)
        Assert.Contains("--polls", output);
    }

    [Fact]
    public void Experiment_list_names_every_experiment_as_lines_and_as_json()
    {
        var (exit, text, _) = CliRunner.Run("experiment", "--list");
        Assert.Equal(0, exit);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(ExperimentCatalog.All.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.StartsWith(ExperimentCatalog.All[i].Name + " ", lines[i]);
            Assert.EndsWith(ExperimentCatalog.All[i].Description, lines[i]);
        }

        (exit, var json, _) = CliRunner.Run("experiment", "--list", "--format", "json");
        Assert.Equal(0, exit);
        var items = JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => (e.GetProperty("name").GetString(), e.GetProperty("description").GetString())).ToList();
        Assert.Equal(ExperimentCatalog.All.Select(e => ((string?)e.Name, (string?)e.Description)), items);
    }
}
