using MkVerified.Exploration;
using MkVerified.Exploration.Exhaustive;
using MkVerified.Runtime;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// A reduced exhaustive search must still visit every state an invariant checked after every step can fail in. Two
/// cores each raise and lower a flag of their own (different lines: every step of one commutes with every step of the
/// other), and the invariant says the two flags are never up together. Only the interleavings that put both raises
/// before both lowerings break it, and a reduction that took the cores' steps for independent would run just one of
/// the equivalent orders and miss it.
/// </summary>
public sealed class InvariantObservationTests
{
    private sealed class TwoFlags : IScenario
    {
        public string Name => "two-flags";
        public string Description => "test";
        public IReadOnlyList<ScenarioVariant> Variants => [new("only", "-")];
        public string DefaultMachine => "amd-2x2";
        public int DefaultCores => 2;

        public RunOutcome Run(Emulation emulation, string variant, int cores)
        {
            var flags = new[] { emulation.Memory.Allocate(8, 0), emulation.Memory.Allocate(8, 1) };
            for (var core = 0; core < 2; core++)
            {
                var flag = flags[core];
                emulation.Start(core, async ctx =>
                {
                    await ctx.Write(flag, 1);
                    await ctx.Write(flag, 0);
                });
            }
            emulation.AfterStep = () => SafetyViolationException.Check(
                emulation.Memory.Peek(flags[0]) == 0 || emulation.Memory.Peek(flags[1]) == 0, $"both flags are up");
            return emulation.Run(1_000);
        }
    }

    private static ExhaustiveResult Search(Reduction reduction, int? bound) =>
        ExhaustiveRunner.Run(new ExplorationRequest(new TwoFlags(), "only", "amd-2x2", 2, Strategies.Exhaustive, 1, 0),
            new ExhaustiveOptions { Reduction = reduction, PreemptionBound = bound }, out _);

    [Fact]
    public void Every_reduction_reaches_the_state_where_an_after_step_invariant_fails()
    {
        foreach (var reduction in new[] { Reduction.None, Reduction.Sleep, Reduction.Dpor })
        {
            var r = Search(reduction, null);
            Assert.True(r.FoundBug, $"{reduction}: {r.Schedules} schedules, no bug");
            Assert.Contains("both flags are up", r.BugMessage);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Under_a_preemption_bound_the_reductions_find_it_exactly_when_plain_dfs_does(int bound)
    {
        var plain = Search(Reduction.None, bound).FoundBug;
        Assert.Equal(plain, Search(Reduction.Sleep, bound).FoundBug);
        Assert.Equal(plain, Search(Reduction.Dpor, bound).FoundBug);
    }
}
