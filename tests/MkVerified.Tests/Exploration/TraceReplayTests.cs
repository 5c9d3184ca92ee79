using MkVerified.Exploration;

namespace MkVerified.Tests.Exploration;

/// <summary>Every committed trace replays its recorded bug; a trace replayed against the real code does not; a fresh trace round-trips.</summary>
public class TraceReplayTests
{
    public static TheoryData<string> CommittedTraces()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Explore.TracesDirectory, "*.trace.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void The_repository_holds_a_trace_for_every_seeded_variant_of_every_scenario()
    {
        var traces = Directory.GetFiles(Explore.TracesDirectory, "*.trace.json").Select(TraceFile.Read).ToList();
        var missing = MkVerified.Scenarios.ScenarioCatalog.All
            .SelectMany(s => s.Variants.Select(v => (Scenario: s.Name, Variant: v.Name)))
            .Where(sv => !traces.Any(t => t.Scenario == sv.Scenario && t.Variant == sv.Variant))
            .Select(sv => $"{sv.Scenario}/{sv.Variant}").ToList();
        Assert.True(missing.Count == 0, $"no committed trace for: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(CommittedTraces))]
    public void A_committed_trace_reproduces_its_recorded_bug(string file)
    {
        var trace = TraceFile.Read(Path.Combine(Explore.TracesDirectory, file));
        var replay = Replayer.Replay(trace);
        Assert.True(replay.Reproduced, $"{file}: expected \"{trace.BugMessage}\", got \"{replay.BugMessage}\"");
        Assert.Equal(trace.BugMessage, replay.BugMessage);
        Assert.NotEmpty(replay.Events);
    }

    [Theory]
    [MemberData(nameof(CommittedTraces))]
    public void Replaying_a_seeded_bug_trace_against_the_correct_variant_reports_no_bug(string file)
    {
        var trace = TraceFile.Read(Path.Combine(Explore.TracesDirectory, file));
        var replay = Replayer.Replay(trace, variantOverride: "correct");
        Assert.False(replay.Reproduced);
        Assert.Null(replay.BugMessage);
    }

    [Fact]
    public void A_fresh_trace_survives_the_file_round_trip_and_replays()
    {
        var result = Explore.Urpc("epoch-wrap", Strategies.Pct, 200, seed: 7);
        var trace = TraceFile.Parse(TraceFile.From(result).ToJson(), "memory");
        Assert.Equal("epoch-wrap", trace.Variant);
        Assert.Equal(result.BugMessage, trace.BugMessage);
        Assert.True(Replayer.Replay(trace).Reproduced);
    }
}
