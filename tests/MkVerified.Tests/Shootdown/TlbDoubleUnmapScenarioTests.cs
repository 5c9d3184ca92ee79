using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Tests.Shootdown;

/// <summary>Concurrent unmaps of one page, the owner's own among them: clean when all go through the owner's queue, each seeded bug shows.</summary>
public class TlbDoubleUnmapScenarioTests
{
    public const string DoubleFree = "frame 42 freed 2 times";
    public const string StaleTranslation = "unmap of page 5 returned already unmapped while core \\d+'s TLB still maps it to frame 42";

    /// <summary>A remote core (4 or 5) kept the translation it walked before the entry was cleared: seen when an unmap returns, or when it uses the freed frame.</summary>
    public const string RemoteKeptTranslation = "(unmap of page 5 returned (applied|already unmapped) while core [45]'s TLB still maps it to frame 42|core [45] used frame 42 after it was freed)";

    /// <summary>A responder acked before it invalidated: an unmap returned (applied or refused) while its TLB still maps the page.</summary>
    public const string AckedBeforeInvalidating = "unmap of page 5 returned (applied|already unmapped) while core \\d+'s TLB still maps it to frame 42";

    private static string? Bug(string variant, IPickPolicy? policy) => ScenarioProbe.Bug(new TlbDoubleUnmapScenario(), variant, policy);

    [Fact]
    public void The_correct_protocol_is_clean_in_cycle_order_and_under_300_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 300; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandomPolicy(seed)));
    }

    [Fact]
    public void Random_schedules_let_the_owner_and_a_remote_core_each_win_the_race()
    {
        var winners = new HashSet<string>();
        for (var seed = 0; seed < 100; seed++)
        {
            var emulation = new Emulation(TestMachines.Get("amd-4x4"), new SeededRandomPolicy(seed));
            emulation.RecordEvents();
            var outcome = new TlbDoubleUnmapScenario().Run(emulation, IScenario.Correct, 4);
            Assert.True(outcome.Ended, $"seed {seed}: {outcome.Status} {outcome.Report}");
            var unmaps = emulation.Events.Where(e => e.Kind == "unmap").ToList();
            Assert.Equal(3, unmaps.Count);
            Assert.Single(unmaps, e => e.Detail == "applied");
            winners.Add(unmaps.Single(e => e.Detail == "applied").Peer == 0 ? "owner" : "remote");
        }
        Assert.Equal(["owner", "remote"], winners.Order());
    }

    [Theory]
    [InlineData("double-free", DoubleFree)]
    [InlineData("stale-translation", StaleTranslation)]
    public void Each_seeded_bug_shows_within_2000_random_schedules(string variant, string message)
    {
        string? found = null;
        for (var seed = 0; seed < 2000 && found is null; seed++) found = Bug(variant, new SeededRandomPolicy(seed));
        Assert.NotNull(found);
        Assert.Matches(message, found);
    }
}
