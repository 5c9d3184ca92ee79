using System.Text.Json;
using System.Xml.Linq;
using MkVerified.Exploration;
using MkVerified.Tests.Cli;

namespace MkVerified.Tests.Exploration;

/// <summary><c>mk explore --format json</c>, <c>--junit</c>, minimized traces and <c>mk replay --minimize</c>.</summary>
[Collection("cli")]
public sealed class ExploreOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-explore-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_is_one_document_with_the_run_its_measured_steps_and_the_minimized_bug()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--variant", "early-ack", "--strategy", "random", "--format", "json", "--trace-out", _dir);
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("urpc", root.GetProperty("scenario").GetString());
        Assert.Equal("early-ack", root.GetProperty("variant").GetString());
        Assert.Equal("amd-2x2", root.GetProperty("machine").GetString());
        Assert.Equal(2, root.GetProperty("cores").GetInt32());
        Assert.Equal("random", root.GetProperty("strategy").GetString());
        var iterations = root.GetProperty("iterations").GetInt64();
        Assert.True(iterations >= 1);
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("iterationsPerSecond").GetDouble() > 0);
        var steps = root.GetProperty("stepsPerIteration");
        Assert.InRange(steps.GetProperty("min").GetInt64(), 1, steps.GetProperty("max").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("complete").ValueKind);
        Assert.True(root.GetProperty("stepsPerSecond").GetDouble() > 0);
        Assert.InRange(root.GetProperty("coyoteEngineShare").GetDouble(), 0.0, 1.0);
        Assert.InRange(root.GetProperty("emulationSeconds").GetDouble(), 0.0, root.GetProperty("seconds").GetDouble());
        var bug = Assert.Single(root.GetProperty("bugs").EnumerateArray());
        Assert.Equal(iterations, bug.GetProperty("iteration").GetInt64());
        Assert.Contains("acknowledged it before copying its payload", bug.GetProperty("message").GetString());
        Assert.True(File.Exists(bug.GetProperty("trace").GetString()));
        Assert.True(bug.GetProperty("minimizedSteps").GetInt32() < bug.GetProperty("steps").GetInt32());
    }

    [Fact]
    public void Exhaustive_json_says_complete_and_counts_pruned_branches()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--strategy", "exhaustive", "--preemption-bound", "1", "--format", "json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("complete").GetBoolean());
        Assert.Empty(root.GetProperty("bugs").EnumerateArray());
        var e = root.GetProperty("exhaustive");
        Assert.Equal(1, e.GetProperty("preemptionBound").GetInt32());
        Assert.Equal("dpor", e.GetProperty("por").GetString());
        Assert.True(e.GetProperty("prunedBranches").GetInt64() > 0);
        Assert.Equal(e.GetProperty("schedules").GetInt64(), root.GetProperty("iterations").GetInt64());
    }

    [Fact]
    public void Junit_has_one_test_case_failed_by_the_bug()
    {
        var junit = Path.Combine(_dir, "report.xml");
        var (exit, _, _) = CliRunner.Run("explore", "urpc", "--variant", "no-credit-check", "--strategy", "pct", "--trace-out", _dir, "--junit", junit);
        Assert.Equal(1, exit);
        var testCase = Assert.Single(XDocument.Load(junit).Descendants("testcase"));
        Assert.Equal("mk.explore.urpc", testCase.Attribute("classname")!.Value);
        Assert.StartsWith("no-credit-check (pct, seed 0", testCase.Attribute("name")!.Value);
        Assert.Contains("ignored its credits", Assert.Single(testCase.Elements("failure")).Attribute("message")!.Value);

        (exit, _, _) = CliRunner.Run("explore", "urpc", "--strategy", "pct", "--iterations", "20", "--junit", junit);
        Assert.Equal(0, exit);
        var clean = Assert.Single(XDocument.Load(junit).Descendants("testcase"));
        Assert.Empty(clean.Elements("failure"));
        Assert.Equal("0", XDocument.Load(junit).Descendants("testsuite").Single().Attribute("failures")!.Value);
    }

    [Fact]
    public void A_random_strategy_trace_is_shorter_minimized_and_both_replay_the_same_check()
    {
        var raw = Path.Combine(_dir, "raw");
        var min = Path.Combine(_dir, "min");
        Assert.Equal(1, CliRunner.Run("explore", "urpc", "--variant", "early-ack", "--strategy", "random", "--trace-out", raw, "--no-minimize").Exit);
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--variant", "early-ack", "--strategy", "random", "--trace-out", min);
        Assert.Equal(1, exit);
        Assert.Matches(@"minimized: \d+ steps, \d+ preemptions -> \d+ steps, \d+ preemptions", output);
        var rawTrace = TraceFile.Read(Assert.Single(Directory.GetFiles(raw)));
        var minTrace = TraceFile.Read(Assert.Single(Directory.GetFiles(min)));
        Assert.True(Steps(minTrace) < Steps(rawTrace), $"minimized {Steps(minTrace)} steps, raw {Steps(rawTrace)}");
        Assert.Equal(ScheduleMinimizer.CheckOf(rawTrace.BugMessage), ScheduleMinimizer.CheckOf(minTrace.BugMessage));
        Assert.True(Replayer.Replay(rawTrace).Reproduced);
        Assert.True(Replayer.Replay(minTrace).Reproduced);
    }

    private static int Steps(TraceFile t) => JsonDocument.Parse(t.CoyoteTrace).RootElement.GetProperty("Steps").GetArrayLength();

    [Fact]
    public void Replay_minimize_writes_a_smaller_trace_that_replays()
    {
        var raw = Path.Combine(_dir, "raw");
        Assert.Equal(1, CliRunner.Run("explore", "urpc", "--variant", "epoch-wrap", "--strategy", "random", "--trace-out", raw, "--no-minimize").Exit);
        var source = Assert.Single(Directory.GetFiles(raw));
        var target = Path.Combine(_dir, "shrunk.trace.json");
        var (exit, output, _) = CliRunner.Run("replay", source, "--minimize", "--out", target);
        Assert.Equal(0, exit);
        Assert.StartsWith("minimized: ", output);
        var shrunk = TraceFile.Read(target);
        Assert.True(Steps(shrunk) < Steps(TraceFile.Read(source)));
        Assert.Equal(0, CliRunner.Run("replay", target).Exit);

        (exit, output, var error) = CliRunner.Run("replay", source, "--minimize");
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("--out", error);
    }
}

/// <summary>The strategy knobs: --pct-depth, --delay-bound, --switch-probability, --max-steps, --continue.</summary>
[Collection("cli")]
public sealed class StrategyKnobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-knobs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("pct", "--pct-depth", "6", "pct:6")]
    [InlineData("delay-bounding", "--delay-bound", "1", "delay-bounding:1")]
    [InlineData("probabilistic", "--switch-probability", "0.5", "probabilistic:0.5")]
    public void A_knob_is_recorded_in_the_raw_trace_and_the_trace_replays_with_it(string strategy, string option, string value, string policy)
    {
        var (exit, _, _) = CliRunner.Run("explore", "urpc", "--variant", "no-credit-check", "--strategy", strategy, option, value, "--no-minimize", "--trace-out", _dir);
        Assert.Equal(1, exit);
        var trace = TraceFile.Read(Assert.Single(Directory.GetFiles(_dir)));
        Assert.Equal(policy, trace.Policy);
        Assert.True(Replayer.Replay(trace).Reproduced);
    }

    [Fact]
    public void A_knob_changes_the_schedules()
    {
        string Json(params string[] extra) => CliRunner.Run(["explore", "urpc", "--strategy", "pct", "--iterations", "30", "--format", "json", .. extra]).Out;
        double Mean(string json) => JsonDocument.Parse(json).RootElement.GetProperty("stepsPerIteration").GetProperty("mean").GetDouble();
        Assert.NotEqual(Mean(Json()), Mean(Json("--pct-depth", "20")));
    }

    [Fact]
    public void Max_steps_cuts_iterations_without_calling_it_a_bug()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--strategy", "random", "--iterations", "50", "--max-steps", "10", "--format", "json");
        Assert.Equal(0, exit);
        var steps = JsonDocument.Parse(output).RootElement.GetProperty("stepsPerIteration");
        Assert.Equal(10, steps.GetProperty("max").GetInt64());
    }

    [Fact]
    public void Continue_counts_buggy_iterations_and_writes_one_replayable_trace_per_distinct_check()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--variant", "early-ack", "--strategy", "random", "--iterations", "60", "--continue",
            "--format", "json", "--trace-out", _dir);
        Assert.Equal(1, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(60, root.GetProperty("iterations").GetInt64());
        var buggy = root.GetProperty("buggyIterations").GetInt64();
        Assert.InRange(buggy, 2, 59);
        var bugs = root.GetProperty("bugs").EnumerateArray().ToList();
        Assert.Equal(root.GetProperty("distinctChecks").GetInt32(), bugs.Count);
        foreach (var b in bugs) Assert.True(Replayer.Replay(TraceFile.Read(b.GetProperty("trace").GetString()!)).Reproduced);
    }

    [Theory]
    [InlineData("--pct-depth", "-1")]
    [InlineData("--delay-bound", "5000")]
    [InlineData("--switch-probability", "0")]
    [InlineData("--max-steps", "0")]
    public void Bad_knob_values_are_one_line_and_exit_2(string option, string value)
    {
        var (exit, output, error) = CliRunner.Run("explore", "urpc", option, value);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(option, error);
    }
}

/// <summary>A long run is a series of Coyote engines (memory); the chunks must not change which iterations run.</summary>
public sealed class EngineChunkTests
{
    [Fact]
    public void A_run_in_chunks_finds_the_bug_at_the_same_iteration_with_the_same_message()
    {
        ExplorationResult Run(uint chunk) => ExplorationRunner.Run(new ExplorationRequest(new MkVerified.Scenarios.UrpcScenario(),
            "early-ack", "amd-2x2", 2, Strategies.DelayBounding, 2000, 100000) { ChunkIterations = chunk });
        var whole = Run(ExplorationRequest.DefaultChunkIterations);
        Assert.True(whole.FoundBug);
        Assert.True(whole.IterationsRun > 100, $"the bug should need several chunks of 100, found at {whole.IterationsRun}");
        var chunked = Run(100);
        Assert.Equal(whole.IterationsRun, chunked.IterationsRun);
        Assert.Equal(whole.BugMessage, chunked.BugMessage);
        Assert.Equal(whole.DistinctSchedules, chunked.DistinctSchedules);
        var trace = TraceFile.From(chunked);
        Assert.True(Replayer.Replay(trace).Reproduced);
    }
}

/// <summary>--shard K/N with mk explore merge, and --workers N: the same iterations and verdict as the serial run.</summary>
[Collection("cli")]
public sealed class ShardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Theory]
    [InlineData("correct", 0)]
    [InlineData("early-ack", 1)]
    public void Two_shards_merged_and_two_workers_give_the_serial_verdict_and_iterations(string variant, int exit)
    {
        string[] Args(params string[] extra) => ["explore", "urpc", "--variant", variant, "--strategy", "random", "--iterations", "120", "--format", "json", "--trace-out", _dir, .. extra];
        var serial = CliRunner.Run(Args());
        Assert.Equal(exit, serial.Exit);
        var files = new List<string>();
        foreach (var shard in new[] { "0/2", "1/2" })
        {
            var (code, output, _) = CliRunner.Run(Args("--shard", shard));
            var file = Path.Combine(_dir, $"shard{files.Count}.json");
            File.WriteAllText(file, output);
            files.Add(file);
            Assert.Equal(shard, Json(output).GetProperty("shard").GetString());
        }
        var merged = CliRunner.Run(["explore", "merge", .. files, "--format", "json"]);
        var workers = CliRunner.Run(Args("--workers", "2"));
        foreach (var (code, output, _) in new[] { merged, workers })
        {
            Assert.Equal(exit, code);
            var m = Json(output);
            var s = Json(serial.Out);
            if (exit == 0) Assert.Equal(s.GetProperty("iterations").GetInt64(), m.GetProperty("iterations").GetInt64());
            Assert.Equal(s.GetProperty("bugs").GetArrayLength() > 0, m.GetProperty("bugs").GetArrayLength() > 0);
            if (exit == 1)
                Assert.Equal(s.GetProperty("bugs")[0].GetProperty("iteration").GetInt64(), m.GetProperty("bugs")[0].GetProperty("iteration").GetInt64());
        }
    }

    [Fact]
    public void Merging_results_of_different_runs_is_bad_input()
    {
        var a = Path.Combine(_dir, "a.json");
        var b = Path.Combine(_dir, "b.json");
        File.WriteAllText(a, CliRunner.Run("explore", "urpc", "--strategy", "random", "--iterations", "5", "--shard", "0/2", "--format", "json").Out);
        File.WriteAllText(b, CliRunner.Run("explore", "urpc", "--strategy", "pct", "--iterations", "5", "--shard", "1/2", "--format", "json").Out);
        var (exit, output, error) = CliRunner.Run("explore", "merge", a, b);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(b, error);
        Assert.Equal(2, CliRunner.Run("explore", "urpc", "--shard", "3/2").Exit);
        Assert.Equal(2, CliRunner.Run("explore", "urpc", "--strategy", "exhaustive", "--workers", "2").Exit);
    }
}
