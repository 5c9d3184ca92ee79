using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Agreement;

/// <summary>The agreement scenario under plain seeded random schedules (no Coyote): the correct protocol is clean, every seeded bug shows.</summary>
public class AgreementScenarioTests
{
    internal static string? Bug(string variant, IPickPolicy? policy, int cores = 4) => ScenarioProbe.Bug(new AgreementScenario(), variant, policy, cores);

    /// <summary>The first seed (from <paramref name="firstSeed"/>) whose schedule shows a bug, and its message.</summary>
    internal static (int Seed, string? Message) FirstBug(string variant, int firstSeed, int budget)
    {
        for (var seed = firstSeed; seed < firstSeed + budget; seed++)
            if (Bug(variant, new SeededRandomPolicy(seed)) is { } found) return (seed - firstSeed + 1, found);
        return (budget, null);
    }

    [Fact]
    public void The_correct_protocol_is_clean_in_cycle_order_and_under_300_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        Assert.Null(Bug(IScenario.Correct, null, cores: 3));
        for (var seed = 0; seed < 300; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandomPolicy(seed)));
    }

    [Theory]
    [InlineData("commit-on-first-yes", @"^agreement 6\.0 committed although core 0 (voted no|had not voted)")]
    [InlineData("aggregator-forwards-early", @"^agreement 0\.\d ended (while|before) core [56] (still holds the lock|decided)")]
    [InlineData("abort-keeps-lock", @"^agreement 0\.0 ended while core \d still holds the lock on object 1$")]
    [InlineData("lost-vote-double-count", @"^agreement 0\.0 committed although core 6 voted no \(object 1 locked by agreement 6\.0\)$")]
    public void Each_seeded_bug_shows_within_2000_random_schedules(string variant, string pattern)
    {
        var (_, found) = FirstBug(variant, 0, 2000);
        Assert.NotNull(found);
        Assert.Matches(pattern, found);
    }
}
