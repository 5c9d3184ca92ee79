using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Shootdown;

/// <summary>Concurrent map and unmap through the page table's owner: clean when it serializes, the seeded bug shows.</summary>
public class TlbMapUnmapScenarioTests
{
    /// <summary>What an unserialized owner leaves: a stale TLB entry when the map returns, or a mapped page when the unmap returns.</summary>
    public const string Unserialized =
        "after (map 2 of page 5 to frame 43|unmap 1 of page 5) was applied on core 0, (the entry of page 5 is frame 43, not unmapped|core \\d+'s TLB maps page 5 to frame 42 while the entry is frame 43)";

    private static string? Bug(string variant, IPickPolicy? policy) => ScenarioProbe.Bug(new TlbMapUnmapScenario(), variant, policy);

    [Fact]
    public void The_correct_protocol_is_clean_in_cycle_order_and_under_200_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 200; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandomPolicy(seed)));
    }

    [Fact]
    public void Random_schedules_reach_both_orders_of_the_map_and_the_unmap()
    {
        var outcomes = new HashSet<string>();
        for (var seed = 0; seed < 200; seed++)
        {
            var emulation = new Emulation(TestMachines.Get("amd-4x4"), new SeededRandomPolicy(seed));
            emulation.RecordEvents();
            var outcome = new TlbMapUnmapScenario().Run(emulation, IScenario.Correct, 4);
            Assert.True(outcome.Ended, $"seed {seed}: {outcome.Status} {outcome.Report}");
            outcomes.UnionWith(emulation.Events.Where(e => e.Kind == "map").Select(e => e.Detail));
        }
        Assert.Equal(["applied", "refused"], outcomes.Order());
    }

    [Fact]
    public void An_unserialized_owner_shows_within_2000_random_schedules()
    {
        string? found = null;
        for (var seed = 0; seed < 2000 && found is null; seed++) found = Bug("unserialized-owner", new SeededRandomPolicy(seed));
        Assert.NotNull(found);
        Assert.Matches(Unserialized, found);
    }
}
