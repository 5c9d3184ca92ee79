using MkVerified.Experiments.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Shootdown;

/// <summary>The unmap scenario under cycle order and seeded random schedules: clean when correct, each seeded bug shows.</summary>
public class TlbShootdownScenarioTests
{
    private sealed class SeededRandom(int seed) : IPickPolicy
    {
        private readonly Random _random = new(seed);
        public int Pick(ReadOnlySpan<int> candidates, int current) => _random.Next(candidates.Length);
    }

    private static string? Bug(string variant, IPickPolicy? policy)
    {
        var scenario = new TlbShootdownScenario();
        var emulation = new Emulation(TestMachines.Get(scenario.DefaultMachine), policy);
        try
        {
            var outcome = scenario.Run(emulation, variant, scenario.DefaultCores);
            return outcome.Ended ? null : outcome.Report;
        }
        catch (SafetyViolationException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void The_correct_protocol_is_clean_in_cycle_order_and_under_200_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 200; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandom(seed)));
    }

    [Theory]
    [InlineData("ack-before-invalidate", "still maps it")]
    [InlineData("aggregator-acks-early", "still maps it")]
    [InlineData("tree-misses-a-core", "still maps it")]
    [InlineData("free-before-shootdown", "after it was freed")]
    [InlineData("refill-from-stale-pte", "still maps it")]
    public void Each_seeded_bug_shows_within_2000_random_schedules(string variant, string message)
    {
        string? found = null;
        for (var seed = 0; seed < 2000 && found is null; seed++) found = Bug(variant, new SeededRandom(seed));
        Assert.NotNull(found);
        Assert.Contains(message, found);
    }
}
