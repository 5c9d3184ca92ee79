using MkVerified.Experiments.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Scenarios;

/// <summary>The URPC scenario under plain seeded random schedules (no Coyote): the correct channel is clean, every seeded bug shows.</summary>
public class UrpcScenarioTests
{
    private sealed class SeededRandom(int seed) : IPickPolicy
    {
        private readonly Random _random = new(seed);
        public int Pick(ReadOnlySpan<int> candidates, int current) => _random.Next(candidates.Length);
    }

    private static string? Bug(string variant, IPickPolicy? policy)
    {
        var scenario = new UrpcScenario();
        var emulation = new Emulation(TestMachines.Get(scenario.DefaultMachine), policy);
        try
        {
            var outcome = scenario.Run(emulation, variant, 2);
            return outcome.Ended ? null : outcome.Report;
        }
        catch (SafetyViolationException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void The_correct_channel_is_clean_in_cycle_order_and_under_300_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 300; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandom(seed)));
    }

    [Theory]
    [InlineData("header-before-payload", "before its payload was fully written")]
    [InlineData("early-ack", "acknowledged it before copying its payload")]
    [InlineData("epoch-wrap", "a stale slot passed the epoch check")]
    [InlineData("no-credit-check", "the sender ignored its credits")]
    public void Each_seeded_bug_shows_within_2000_random_schedules(string variant, string message)
    {
        string? found = null;
        var seed = 0;
        for (; seed < 2000 && found is null; seed++) found = Bug(variant, new SeededRandom(seed));
        Assert.NotNull(found);
        Assert.Contains(message, found);
    }
}
