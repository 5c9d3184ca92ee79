using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Scenarios;

/// <summary>The URPC scenario under plain seeded random schedules (no Coyote): the correct channel is clean, every seeded bug shows.</summary>
public class UrpcScenarioTests
{
    private static string? Bug(string variant, IPickPolicy? policy) => ScenarioProbe.Bug(new UrpcScenario(), variant, policy);

    [Fact]
    public void The_correct_channel_is_clean_in_cycle_order_and_under_300_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 300; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandomPolicy(seed)));
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
        for (; seed < 2000 && found is null; seed++) found = Bug(variant, new SeededRandomPolicy(seed));
        Assert.NotNull(found);
        Assert.Contains(message, found);
    }
}
