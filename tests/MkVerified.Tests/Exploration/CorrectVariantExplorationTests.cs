using MkVerified.Exploration;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// The real URPC code runs the CI budget clean under every strategy (no false alarm, no real bug). Exploration once
/// found a lost wake-up in the channel's credit wait here (pct within 2-39 iterations); waits now account for writes
/// that land between a poll and the wait, and this test keeps it fixed.
/// </summary>
public class CorrectVariantExplorationTests
{
    [Theory]
    [InlineData(Strategies.Random)]
    [InlineData(Strategies.DelayBounding)]
    [InlineData(Strategies.Pct)]
    [InlineData(Strategies.Probabilistic)]
    [InlineData(Strategies.QLearning)]
    [InlineData(Strategies.Portfolio)]
    public void The_correct_channel_runs_the_CI_budget_clean(string strategy)
    {
        var result = Explore.Urpc("correct", strategy);
        Assert.Null(result.BugMessage);
        Assert.Equal(Explore.CiBudget, result.IterationsRun);
        Assert.True(result.DistinctSchedules > 1, "every iteration ran the same schedule: the policy explores nothing");
    }
}
