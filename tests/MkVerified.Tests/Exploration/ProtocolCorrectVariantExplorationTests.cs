using MkVerified.Scenarios;
using MkVerified.Exploration;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// The real shootdown, agreement and capability protocols run a CI budget clean under every strategy. The budget is
/// smaller than the seeded-bug budget (these scenarios run at 30-250 it/s here, and 8 scenarios x 6 strategies must
/// stay within a few seconds each); spec/exploration.md says so and gives the nightly command for big runs.
/// </summary>
public class ProtocolCorrectVariantExplorationTests
{
    public const uint CleanBudget = 25;

    public static TheoryData<string, string> ScenariosAndStrategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in ScenarioCatalog.All.Where(s => s.Name != "urpc"))
            foreach (var strategy in Strategies.All)
                data.Add(scenario.Name, strategy);
        return data;
    }

    [Theory]
    [MemberData(nameof(ScenariosAndStrategies))]
    public void The_correct_protocol_runs_the_clean_budget_clean(string scenario, string strategy)
    {
        var result = Explore.Scenario(scenario, "correct", strategy, CleanBudget, seed: 11);
        Assert.Null(result.BugMessage);
        Assert.Equal(CleanBudget, result.IterationsRun);
        Assert.True(result.DistinctSchedules > 1, "every iteration ran the same schedule: the policy explores nothing");
    }
}
