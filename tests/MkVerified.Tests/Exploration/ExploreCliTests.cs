using System.Text.Json;
using MkVerified.Tests.Cli;

namespace MkVerified.Tests.Exploration;

/// <summary><c>mk explore</c> and <c>mk replay</c> end to end: exit codes, trace files, renders, listings, bad input.</summary>
[Collection("cli")]
public sealed class ExploreCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-explore-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ExploreEarlyAck()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--variant", "early-ack", "--strategy", "pct", "--trace-out", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("the receiver had acknowledged it before copying its payload", output);
        var path = Assert.Single(Directory.GetFiles(_dir, "*.trace.json"));
        Assert.Contains($"trace: {path}", output);
        return path;
    }

    [Fact]
    public void Explore_finds_early_ack_writes_a_trace_and_replay_reproduces_it()
    {
        var path = ExploreEarlyAck();
        var (exit, output, _) = CliRunner.Run("replay", path);
        Assert.Equal(0, exit);
        Assert.StartsWith("reproduced: urpc/early-ack: ", output);
    }

    [Fact]
    public void The_same_seed_writes_the_same_trace_byte_for_byte()
    {
        var first = File.ReadAllBytes(ExploreEarlyAck());
        Directory.Delete(_dir, true);
        Directory.CreateDirectory(_dir);
        Assert.Equal(first, File.ReadAllBytes(ExploreEarlyAck()));
    }

    [Fact]
    public void Replay_renders_a_text_chart_a_mermaid_diagram_and_chrome_trace_events()
    {
        var path = ExploreEarlyAck();
        var (exit, text, _) = CliRunner.Run("replay", path, "--render", "text");
        Assert.Equal(0, exit);
        Assert.Contains("| core 0", text);
        Assert.Contains("send -> 1", text);
        Assert.Matches(@"\nBUG on core [01] at cycle \d+ \(step \d+\): URPC 1->0: sender overwrote slot", text); // the ghost check fails on the sending core

        (exit, var mermaid, _) = CliRunner.Run("replay", path, "--render", "mermaid");
        Assert.Equal(0, exit);
        Assert.StartsWith("sequenceDiagram", mermaid);
        Assert.Contains("participant core1", mermaid);
        Assert.Contains("core0->>core1: send", mermaid);

        var chrome = Path.Combine(_dir, "trace.chrome.json");
        (exit, _, _) = CliRunner.Run("replay", path, "--render", "chrome", "--out", chrome);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(File.ReadAllText(chrome));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var pids = events.Where(e => e.GetProperty("ph").GetString() == "i").Select(e => e.GetProperty("pid").GetInt32()).Distinct().Order().ToList();
        Assert.Equal([0, 1], pids);
        Assert.Contains(events, e => e.GetProperty("name").GetString() == "BUG");
    }

    [Fact]
    public void A_trace_whose_bug_does_not_recur_exits_3()
    {
        var path = ExploreEarlyAck();
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"variant\": \"early-ack\"", "\"variant\": \"correct\""));
        var (exit, output, _) = CliRunner.Run("replay", path);
        Assert.Equal(3, exit);
        Assert.StartsWith("NOT reproduced", output);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-json")]
    [InlineData("unknown-scenario")]
    [InlineData("missing-field")]
    [InlineData("bad-coyote-trace")]
    public void A_bad_trace_file_is_refused_with_one_line_and_exit_2(string damage)
    {
        var path = ExploreEarlyAck();
        var text = File.ReadAllText(path);
        File.WriteAllText(path, damage switch
        {
            "truncated" => text[..(text.Length / 2)],
            "not-json" => "this is not a trace\n",
            "unknown-scenario" => text.Replace("\"scenario\": \"urpc\"", "\"scenario\": \"nope\""),
            "missing-field" => text.Replace("\"bugMessage\"", "\"bugMassage\""),
            _ => text.Replace("\"Steps\": [", "\"Steps\": [ \"garbage\", "),
        });
        var (exit, output, error) = CliRunner.Run("replay", path);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("mk: ", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("explore", "nope")]
    [InlineData("explore", "urpc", "--variant", "nope")]
    [InlineData("explore", "urpc", "--strategy", "dfs")]
    [InlineData("explore", "urpc", "--cores", "3")]
    [InlineData("explore", "urpc", "--machine", "no-such-machine")]
    [InlineData("replay", "/no/such/file.trace.json")]
    public void Bad_input_is_one_line_and_exit_2(params string[] args)
    {
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("mk: ", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void The_list_names_every_scenario_and_variant_as_lines_and_as_json()
    {
        var (exit, text, _) = CliRunner.Run("explore", "--list");
        Assert.Equal(0, exit);
        Assert.Contains("urpc --variant early-ack: acknowledges a slot before copying its payload", text);

        (exit, var json, _) = CliRunner.Run("explore", "--list", "--format", "json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(json);
        var urpc = Assert.Single(doc.RootElement.EnumerateArray(), s => s.GetProperty("scenario").GetString() == "urpc");
        Assert.False(string.IsNullOrEmpty(urpc.GetProperty("description").GetString()));
        Assert.Equal(5, urpc.GetProperty("defaultPreemptionBound").GetInt32());
        var defaults = doc.RootElement.EnumerateArray().ToDictionary(x => x.GetProperty("scenario").GetString()!, x => x.GetProperty("defaultPreemptionBound"));
        Assert.Equal(3, defaults["tlb-shootdown"].GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults["agreement"].ValueKind);
        Assert.Contains("urpc: two cores exchange", text);
        Assert.Contains("(exhaustive search's default preemption bound: 5)", text);
        var variants = urpc.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();
        Assert.Equal(["header-before-payload", "early-ack", "epoch-wrap", "no-credit-check", "credit-recheck-ignored"], variants);
        Assert.All(urpc.GetProperty("variants").EnumerateArray(), v => Assert.False(string.IsNullOrEmpty(v.GetProperty("breaks").GetString())));
    }

    [Fact]
    public void Coverage_lists_visited_and_never_visited_states_per_channel_end()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--strategy", "random", "--iterations", "30", "--coverage");
        Assert.Equal(0, exit);
        Assert.Contains("urpc end of core 0:", output);
        Assert.Contains("urpc end of core 1:", output);
        Assert.Contains("credit-wait (", output);
        Assert.Contains("start --send-->", output);
        Assert.Contains("never visited:", output);
    }
}
