using System.Text.Json;
using MkVerified.Scenarios;
using MkVerified.Exploration;
using MkVerified.Exploration.Exhaustive;
using MkVerified.Runtime;
using MkVerified.Tests.Cli;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// <c>--strategy exhaustive</c>: the reductions reach every outcome plain DFS reaches (on a racy toy), URPC is
/// complete and clean within a preemption bound, every URPC seeded bug is found and its trace replays.
/// </summary>
[Collection("cli")]
public sealed class ExhaustiveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-exhaustive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Three cores race on three lines (a store-buffer litmus test plus a reader and an atomic counter); the outcome is
    /// what every core read. Different interleavings give different outcomes, and some orders commute.
    /// </summary>
    private sealed class Litmus : IScenario
    {
        public HashSet<string> Outcomes { get; } = [];
        public string Name => "litmus";
        public string Description => "test";
        public IReadOnlyList<ScenarioVariant> Variants => [new("racy", "-"), new("handshake", "-")];
        public string DefaultMachine => "amd-2x2";
        public int DefaultCores => 3;

        public RunOutcome Run(Emulation emulation, string variant, int cores) => variant == "handshake" ? Handshake(emulation) : Racy(emulation);

        // Core 0 publishes data then a flag; core 1 waits for the flag (blocking) then reads the data; core 2 overwrites the data.
        private RunOutcome Handshake(Emulation emulation)
        {
            var data = emulation.Memory.Allocate(8, 0);
            var flag = emulation.Memory.Allocate(8, 1);
            var seen = new long[3];
            emulation.Start(0, async ctx =>
            {
                await ctx.Write(data, 1);
                await ctx.Write(flag, 1);
            });
            emulation.Start(1, async ctx =>
            {
                while (await ctx.Read(flag) == 0) await ctx.WaitForWrite(SharedMemory.LineOf(flag), idle: false, "flag");
                seen[0] = await ctx.Read(data);
            });
            emulation.Start(2, async ctx =>
            {
                seen[1] = await ctx.Read(data);
                await ctx.Write(data, 2);
                seen[2] = await ctx.Read(flag);
            });
            var outcome = emulation.Run(10_000);
            if (emulation.Observer is not null && outcome.Ended) Outcomes.Add(string.Join(",", seen));
            return outcome;
        }

        private RunOutcome Racy(Emulation emulation)
        {
            var a = emulation.Memory.Allocate(8, 0);
            var b = emulation.Memory.Allocate(8, 0);
            var c = emulation.Memory.Allocate(8, 1);
            var seen = new long[5];
            emulation.Start(0, async ctx =>
            {
                await ctx.Write(a, 1);
                seen[0] = await ctx.Read(b);
                await ctx.AtomicAdd(c, 1);
            });
            emulation.Start(1, async ctx =>
            {
                await ctx.Write(b, 1);
                seen[1] = await ctx.Read(a);
                await ctx.AtomicAdd(c, 10);
            });
            emulation.Start(2, async ctx =>
            {
                seen[2] = await ctx.Read(a);
                seen[3] = await ctx.Read(c);
                seen[4] = await ctx.Read(b);
            });
            var outcome = emulation.Run(10_000);
            if (emulation.Observer is not null && outcome.Ended) Outcomes.Add(string.Join(",", seen)); // not the validation dry run
            return outcome;
        }
    }

    private static ExhaustiveResult Search(IScenario scenario, string variant, int cores, ExhaustiveOptions options, string machine = "amd-2x2") =>
        ExhaustiveRunner.Run(new ExplorationRequest(scenario, variant, machine, cores, Strategies.Exhaustive, 1, 0), options, out _);

    [Theory]
    [InlineData("racy", 10)]
    [InlineData("handshake", 3)]
    public void Sleep_sets_and_dpor_reach_every_outcome_plain_dfs_reaches_with_fewer_schedules(string variant, int atLeast)
    {
        var results = new Dictionary<Reduction, (HashSet<string> Outcomes, long Schedules)>();
        foreach (var reduction in new[] { Reduction.None, Reduction.Sleep, Reduction.Dpor })
        {
            var litmus = new Litmus();
            var r = Search(litmus, variant, 3, new ExhaustiveOptions { Reduction = reduction });
            Assert.True(r.Complete, $"{reduction}: not complete");
            results[reduction] = (litmus.Outcomes, r.Schedules - r.SleepBlocked);
        }
        var all = results[Reduction.None].Outcomes;
        Assert.True(all.Count >= atLeast, $"the litmus test should have at least {atLeast} outcomes, has {all.Count}");
        Assert.Equal(all.Order(), results[Reduction.Sleep].Outcomes.Order());
        Assert.Equal(all.Order(), results[Reduction.Dpor].Outcomes.Order());
        Assert.True(results[Reduction.Sleep].Schedules < results[Reduction.None].Schedules, "sleep sets pruned nothing");
        Assert.True(results[Reduction.Dpor].Schedules <= results[Reduction.Sleep].Schedules, "dpor ran more schedules than sleep sets");
    }

    [Fact]
    public void A_preemption_bound_of_zero_still_explores_free_switches_and_is_complete()
    {
        var litmus = new Litmus();
        var r = Search(litmus, "racy", 3, new ExhaustiveOptions { PreemptionBound = 0, Reduction = Reduction.None });
        Assert.True(r.Complete);
        Assert.True(r.BoundedBranches > 0);
        // Without preemptions each core runs to its end once started: only the order of the three cores varies.
        Assert.InRange(litmus.Outcomes.Count, 2, 6);
    }

    [Fact]
    public void Urpc_is_complete_and_clean_with_two_preemptions_and_dpor_runs_fewer_schedules_than_plain_dfs()
    {
        var dpor = Search(new UrpcScenario(), IScenario.Correct, 2, new ExhaustiveOptions { PreemptionBound = 2 });
        Assert.False(dpor.FoundBug, dpor.BugMessage);
        Assert.True(dpor.Complete);
        var plain = Search(new UrpcScenario(), IScenario.Correct, 2, new ExhaustiveOptions { PreemptionBound = 2, Reduction = Reduction.None });
        Assert.True(plain.Complete);
        Assert.True(dpor.Schedules < plain.Schedules, $"dpor {dpor.Schedules} schedules, plain {plain.Schedules}");
        Assert.True(dpor.PrunedBranches > 0);
    }

    /// <summary>
    /// The deep unmap bug needs a preemption (the owner stopped between its remote request and the clear): every
    /// schedule without one is clean, and DPOR finds it within one.
    /// </summary>
    [Fact]
    public void Remote_requests_before_clear_is_clean_without_a_preemption_and_found_with_one()
        => AssertNeedsPreemptions(new TlbDoubleUnmapScenario(), "remote-requests-before-clear", 1, Shootdown.TlbDoubleUnmapScenarioTests.RemoteKeptTranslation);

    /// <summary>
    /// A responder that acks before it invalidates needs two preemptions: one to let a core fill its TLB while the entry
    /// is valid (the owner never blocks before it clears), one between that core's ack and its invalidation. Plain DFS
    /// proves every schedule with one preemption clean; with two, bounded DPOR finds it, which it can only because the
    /// TLB invalidation and the check that reads the TLB from another core are observed (a private-state pseudo-line:
    /// without it DPOR took the two steps for independent and ended "complete, no bug"). Shown on tlb-shootdown, where
    /// it is cheapest; tlb-double-unmap lists the variant as a deep one (the same holds there, spec/exploration.md).
    /// </summary>
    [Fact]
    public void Ack_before_invalidate_is_clean_with_one_preemption_and_found_with_two()
        => AssertNeedsPreemptions(new TlbShootdownScenario(), "ack-before-invalidate", 2, "unmap of page 5 returned on core 0 while core \\d+'s TLB still maps it");

    /// <summary>
    /// <paramref name="variant"/> of <paramref name="scenario"/> (4 cores on amd-4x4) needs exactly
    /// <paramref name="preemptions"/>: plain DFS with one fewer is complete and clean, DPOR with that many finds a bug
    /// reported as <paramref name="report"/>.
    /// </summary>
    private static void AssertNeedsPreemptions(IScenario scenario, string variant, int preemptions, string report)
    {
        var fewer = Search(scenario, variant, 4, new ExhaustiveOptions { PreemptionBound = preemptions - 1, Reduction = Reduction.None }, "amd-4x4");
        Assert.False(fewer.FoundBug, fewer.BugMessage);
        Assert.True(fewer.Complete);
        var enough = Search(scenario, variant, 4, new ExhaustiveOptions { PreemptionBound = preemptions }, "amd-4x4");
        Assert.True(enough.FoundBug, $"not found in {enough.Schedules} schedules");
        Assert.Matches(report, enough.BugMessage);
    }

    [Fact]
    public void The_max_steps_bound_cuts_schedules_and_the_verdict_is_not_complete()
    {
        var r = Search(new UrpcScenario(), IScenario.Correct, 2, new ExhaustiveOptions { PreemptionBound = 1, MaxSteps = 20 });
        Assert.True(r.Cut > 0);
        Assert.False(r.Complete);
    }

    public static TheoryData<string> UrpcVariants() => [.. new UrpcScenario().Variants.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(UrpcVariants))]
    public void Every_urpc_seeded_bug_is_found_and_its_trace_replays(string variant)
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--variant", variant, "--strategy", "exhaustive", "--trace-out", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("BUG found at schedule", output);
        var path = Assert.Single(Directory.GetFiles(_dir, $"urpc-{variant}-exhaustive-seed0.trace.json"));
        var trace = TraceFile.Read(path);
        var replay = Replayer.Replay(trace);
        Assert.True(replay.Reproduced, $"expected \"{trace.BugMessage}\", got \"{replay.BugMessage}\"");
        Assert.Equal(0, CliRunner.Run("replay", path).Exit);
    }

    [Theory]
    [InlineData("--preemption-bound", "-1", "--preemption-bound")]
    [InlineData("--preemption-bound", "two", "--preemption-bound")]
    [InlineData("--max-steps", "0", "--max-steps")]
    [InlineData("--por", "fast", "--por")]
    public void Bad_exhaustive_options_are_one_line_on_stderr_and_exit_2(string option, string value, string named)
    {
        var (exit, output, error) = CliRunner.Run("explore", "urpc", "--strategy", "exhaustive", option, value);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(named, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Without_a_bound_the_search_takes_the_scenarios_default_and_none_asks_for_unbounded()
    {
        var (exit, output, _) = CliRunner.Run("explore", "urpc", "--strategy", "exhaustive", "--timeout", "1", "--format", "json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
            Assert.Equal(ScenarioCatalog.Find("urpc")!.DefaultPreemptionBound, doc.RootElement.GetProperty("exhaustive").GetProperty("preemptionBound").GetInt32());

        (exit, output, _) = CliRunner.Run("explore", "urpc", "--strategy", "exhaustive", "--preemption-bound", "none", "--timeout", "1", "--format", "json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("exhaustive").GetProperty("preemptionBound").ValueKind);
            Assert.False(doc.RootElement.GetProperty("complete").GetBoolean()); // unbounded URPC does not finish in a second
        }

        (exit, output, _) = CliRunner.Run("explore", "urpc", "--strategy", "exhaustive", "--preemption-bound", "1", "--format", "json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("exhaustive").GetProperty("preemptionBound").GetInt32());
            Assert.True(doc.RootElement.GetProperty("complete").GetBoolean());
        }
    }
}
