using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Shootdown;

/// <summary>The unmap scenario under cycle order and seeded random schedules: clean when correct, each seeded bug shows.</summary>
public class TlbShootdownScenarioTests
{
    private static string? Bug(string variant, IPickPolicy? policy) => ScenarioProbe.Bug(new TlbShootdownScenario(), variant, policy);

    [Fact]
    public void The_correct_protocol_is_clean_in_cycle_order_and_under_200_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 200; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandomPolicy(seed)));
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
        for (var seed = 0; seed < 2000 && found is null; seed++) found = Bug(variant, new SeededRandomPolicy(seed));
        Assert.NotNull(found);
        Assert.Contains(message, found);
    }
}
