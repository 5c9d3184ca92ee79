using System.Text.Json;
using System.Text.RegularExpressions;
using MkVerified.Exploration;
using MkVerified.Exploration.Renders;
using MkVerified.Runtime;

namespace MkVerified.Tests.Exploration;

/// <summary>Every committed trace renders readably: message types named, nothing cut, empty polls folded, the failed check last.</summary>
public partial class RenderTests
{
    [GeneratedRegex(@"\btype \d+")]
    private static partial Regex TypeNumber();

    private static ReplayResult Replay(string file) => Replayer.Replay(TraceFile.Read(Path.Combine(Explore.TracesDirectory, file)));

    [Theory]
    [MemberData(nameof(TraceReplayTests.CommittedTraces), MemberType = typeof(TraceReplayTests))]
    public void Every_render_of_a_committed_trace_names_its_message_types_and_cuts_nothing(string file)
    {
        var replay = Replay(file);
        var messages = replay.Events.Count(e => e.Kind is "send" or "recv"); // a bug may strike before any message

        var text = TextChart.Render(replay);
        var mermaid = MermaidChart.Render(replay);
        var chrome = ChromeTrace.Render(replay);
        foreach (var (name, render) in new[] { ("text", text), ("mermaid", mermaid), ("chrome", chrome) })
        {
            Assert.False(TypeNumber().IsMatch(render), $"{file} ({name}): an unnamed message type: {TypeNumber().Match(render).Value}");
            if (messages > 0) Assert.Matches(@"\b(urpc|agreement|tlb|caps)\.[A-Z][A-Za-z]+\b", render);
        }
        // Text: every event's full description is in the chart (no cell cut to fit a column).
        foreach (var e in EventText.Fold(replay.Events, polls: false))
            Assert.Contains(EventText.Describe(e, replay.Trace.Scenario), text);
        // The failed check closes every render, with its core and cycle when a core's code failed it.
        var verdict = EventText.Verdict(replay);
        Assert.Matches(@"^BUG (on core \d+ at cycle \d+ \(step \d+\)|found when the run ended \(last event at cycle \d+\)): ", verdict);
        Assert.EndsWith(verdict + "\n", text);
        Assert.Contains(verdict.Replace(';', ','), mermaid);
        using var doc = JsonDocument.Parse(chrome);
        Assert.Contains(doc.RootElement.GetProperty("traceEvents").EnumerateArray(), e => e.GetProperty("name").GetString() == "BUG" && e.GetProperty("args").GetProperty("message").GetString() == verdict);
    }

    [Theory]
    [MemberData(nameof(TraceReplayTests.CommittedTraces), MemberType = typeof(TraceReplayTests))]
    public void Empty_polls_are_folded_into_counts_unless_asked_for(string file)
    {
        var replay = Replay(file);
        var polls = replay.Events.Count(e => e.Kind == "poll-empty");
        var folded = EventText.Fold(replay.Events, polls: false);
        // No core has two empty polls in a row left, and the counts add up to every poll.
        for (var i = 0; i < folded.Count; i++)
        {
            if (folded[i].Kind != "poll-empty" && folded[i].Kind != EventText.PollsKind) continue;
            var next = folded.Skip(i + 1).FirstOrDefault(e => e.Core == folded[i].Core);
            Assert.True(next is null || (next.Kind != "poll-empty" && next.Kind != EventText.PollsKind), $"{file}: core {folded[i].Core} has two poll rows in a row at step {folded[i].Step}");
        }
        var counted = folded.Sum(e => e.Kind == "poll-empty" ? 1 : e.Kind == EventText.PollsKind ? int.Parse(e.Detail.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) : 0);
        Assert.Equal(polls, counted);
        Assert.Equal(replay.Events.Count(e => e.Kind != "poll-empty"), folded.Count(e => e.Kind is not ("poll-empty" or EventText.PollsKind)));
        Assert.Equal(polls, TextChart.Render(replay, polls: true).Split('\n').Count(l => l.Contains("poll-empty <-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Message_types_are_named_by_protocol_and_message()
    {
        Assert.Equal("agreement.Prepare", MessageNames.Name("agreement", 1 << 8 | 1));
        Assert.Equal("agreement.Ack", MessageNames.Name("agreement", 1 << 8 | 5));
        Assert.Equal("tlb.Ack", MessageNames.Name("tlb-shootdown", 3 << 8 | 2));
        Assert.Equal("tlb.UnmapRequest", MessageNames.Name("tlb-double-unmap", 3 << 8 | 4));
        Assert.Equal("caps.Mark", MessageNames.Name("caps-double-revoke", 2 << 8 | 9));
        Assert.Equal("type 9", MessageNames.Name("caps-double-revoke", 9)); // caps messages carry their protocol id now
        Assert.Equal("type 99", MessageNames.Name("tlb-shootdown", 99));
        Assert.Equal("urpc.Ack -> 0: acks 3", EventText.Describe(new TraceEvent(1, 1, 10, "ack", 0, "acks 3"), "urpc"));
    }
}
