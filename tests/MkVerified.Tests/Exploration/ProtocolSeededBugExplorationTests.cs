using MkVerified.Exploration;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// Coyote (the exploration harness, not the protocol tests' seeded-random policy) finds every seeded bug of the
/// shootdown, agreement and capability-race scenarios within the CI budget with at least two strategies, and the bug
/// it reports is the seeded one: the message of the guarantee that variant breaks (a regular expression where the
/// same bug shows through two checks, e.g. an agreement that ends early is caught either before a core decided or
/// while one still holds its lock).
/// </summary>
public class ProtocolSeededBugExplorationTests
{
    private const string TlbStillMaps = "returned on core 0 while core \\d+'s TLB still maps it";

    [Theory]
    [InlineData("tlb-shootdown", "ack-before-invalidate", TlbStillMaps, Strategies.Pct)]
    [InlineData("tlb-shootdown", "ack-before-invalidate", TlbStillMaps, Strategies.Random)]
    [InlineData("tlb-shootdown", "aggregator-acks-early", TlbStillMaps, Strategies.Random)]
    [InlineData("tlb-shootdown", "aggregator-acks-early", TlbStillMaps, Strategies.QLearning)]
    [InlineData("tlb-shootdown", "tree-misses-a-core", TlbStillMaps, Strategies.Random)]
    [InlineData("tlb-shootdown", "tree-misses-a-core", TlbStillMaps, Strategies.DelayBounding)]
    [InlineData("tlb-shootdown", "free-before-shootdown", "core \\d+ used frame 42 after it was freed", Strategies.Random)]
    [InlineData("tlb-shootdown", "free-before-shootdown", "core \\d+ used frame 42 after it was freed", Strategies.Probabilistic)]
    [InlineData("tlb-shootdown", "refill-from-stale-pte", TlbStillMaps, Strategies.Probabilistic)]
    [InlineData("tlb-shootdown", "refill-from-stale-pte", TlbStillMaps, Strategies.DelayBounding)]
    [InlineData("tlb-map-unmap", "unserialized-owner", Shootdown.TlbMapUnmapScenarioTests.Unserialized, Strategies.Random)]
    [InlineData("tlb-map-unmap", "unserialized-owner", Shootdown.TlbMapUnmapScenarioTests.Unserialized, Strategies.Pct)]
    [InlineData("tlb-map-unmap", "unserialized-owner", Shootdown.TlbMapUnmapScenarioTests.Unserialized, Strategies.Probabilistic)]
    [InlineData("tlb-double-unmap", "double-free", Shootdown.TlbDoubleUnmapScenarioTests.DoubleFree, Strategies.Random)]
    [InlineData("tlb-double-unmap", "double-free", Shootdown.TlbDoubleUnmapScenarioTests.DoubleFree, Strategies.Pct)]
    [InlineData("tlb-double-unmap", "stale-translation", Shootdown.TlbDoubleUnmapScenarioTests.StaleTranslation, Strategies.Pct)]
    [InlineData("tlb-double-unmap", "stale-translation", Shootdown.TlbDoubleUnmapScenarioTests.StaleTranslation, Strategies.DelayBounding)]
    // A deep bug: a remote core must take the request, invalidate and walk the entry again while the owner sits between
    // its remote request and the clear. Random needs a median of about 400 iterations (spec/exploration.md); pct 36.
    [InlineData("tlb-double-unmap", "remote-requests-before-clear", Shootdown.TlbDoubleUnmapScenarioTests.RemoteKeptTranslation, Strategies.Pct)]
    [InlineData("tlb-double-unmap", "remote-requests-before-clear", Shootdown.TlbDoubleUnmapScenarioTests.RemoteKeptTranslation, Strategies.Probabilistic)]
    // A deep bug that needs two preemptions (ExhaustiveTests): random needs a median of over 1,000 iterations; pct 16.
    [InlineData("tlb-double-unmap", "ack-before-invalidate", Shootdown.TlbDoubleUnmapScenarioTests.AckedBeforeInvalidating, Strategies.Pct)]
    [InlineData("tlb-double-unmap", "ack-before-invalidate", Shootdown.TlbDoubleUnmapScenarioTests.AckedBeforeInvalidating, Strategies.Probabilistic)]
    [InlineData("agreement", "commit-on-first-yes", "committed although core \\d+ (voted no|had not voted)", Strategies.Random)]
    [InlineData("agreement", "commit-on-first-yes", "committed although core \\d+ (voted no|had not voted)", Strategies.Pct)]
    [InlineData("agreement", "aggregator-forwards-early", "ended (before core \\d+ decided|while core \\d+ still holds the lock)", Strategies.Pct)]
    [InlineData("agreement", "aggregator-forwards-early", "ended (before core \\d+ decided|while core \\d+ still holds the lock)", Strategies.Probabilistic)]
    [InlineData("agreement", "abort-keeps-lock", "ended while core \\d+ still holds the lock on object", Strategies.Random)]
    [InlineData("agreement", "abort-keeps-lock", "ended while core \\d+ still holds the lock on object", Strategies.DelayBounding)]
    [InlineData("agreement", "lost-vote-double-count", "committed although core \\d+ voted no", Strategies.Pct)]
    [InlineData("agreement", "lost-vote-double-count", "committed although core \\d+ voted no", Strategies.QLearning)]
    [InlineData("agreement-fairness", "fixed-priority", Starved, Strategies.Random)]
    [InlineData("agreement-fairness", "fixed-priority", Starved, Strategies.DelayBounding)]
    [InlineData("agreement-fairness", "grant-before-decision", NotSerialized, Strategies.Pct)]
    [InlineData("agreement-fairness", "grant-before-decision", NotSerialized, Strategies.Portfolio)]
    [InlineData("caps-revoke-vs-copy", "revoke-ignores-inflight-copy", "after the revoke of Ram\\S+ completed, ", Strategies.Pct)]
    [InlineData("caps-revoke-vs-copy", "revoke-ignores-inflight-copy", "after the revoke of Ram\\S+ completed, ", Strategies.Probabilistic)]
    [InlineData("caps-concurrent-retype", "retype-skips-remote-descendant-check", "two retypes of overlapping memory both succeeded", Strategies.Random)]
    [InlineData("caps-concurrent-retype", "retype-skips-remote-descendant-check", "two retypes of overlapping memory both succeeded", Strategies.DelayBounding)]
    [InlineData("caps-double-delete-last", "last-copy-double-cleanup", "RAM Ram\\S+ returned (while core \\d+ still holds|to the memory server 2 times)", Strategies.Random)]
    [InlineData("caps-double-delete-last", "last-copy-double-cleanup", "RAM Ram\\S+ returned (while core \\d+ still holds|to the memory server 2 times)", Strategies.Pct)]
    [InlineData("caps-move-vs-delete", "move-ignores-deleted-target", "has 0 owners \\(\\) and 0 ownership transfers", Strategies.Random)]
    [InlineData("caps-move-vs-delete", "move-ignores-deleted-target", "has 0 owners \\(\\) and 0 ownership transfers", Strategies.QLearning)]
    [InlineData("caps-double-revoke", "revoke-ignores-lock", "the revoke of Ram\\S+ completed on core \\d+ but its own copy is gone", Strategies.Random)]
    [InlineData("caps-double-revoke", "revoke-ignores-lock", "the revoke of Ram\\S+ completed on core \\d+ but its own copy is gone", Strategies.DelayBounding)]
    [InlineData("caps-revoke-vs-retype", "mark-ignores-retype-in-progress", "(created Frame\\S+ from Frame\\S+ after Frame\\S+ was revoked or deleted on every core|after the revoke of Ram\\S+ completed, core \\d+ still holds)", Strategies.Random)]
    [InlineData("caps-revoke-vs-retype", "mark-ignores-retype-in-progress", "(created Frame\\S+ from Frame\\S+ after Frame\\S+ was revoked or deleted on every core|after the revoke of Ram\\S+ completed, core \\d+ still holds)", Strategies.Probabilistic)]
    [InlineData("caps-busy-op", "busy-refusal-releases-lock", "two retypes of overlapping memory both succeeded", Strategies.Pct)]
    [InlineData("caps-busy-op", "busy-refusal-releases-lock", "two retypes of overlapping memory both succeeded", Strategies.Probabilistic)]
    [InlineData("caps-lock-release", "lock-leak-on-partial-failure", LockLeak, Strategies.Random)]
    [InlineData("caps-lock-release", "lock-leak-on-partial-failure", LockLeak, Strategies.Pct)]
    [InlineData("caps-copy-vs-last-delete", "release-drops-inflight-copy", MissedHolder, Strategies.Random)]
    [InlineData("caps-copy-vs-last-delete", "release-drops-inflight-copy", MissedHolder, Strategies.Pct)]
    [InlineData("caps-retrieve-vs-revoke", "retrieve-ignores-revoke", NoOwner, Strategies.Pct)]
    [InlineData("caps-retrieve-vs-revoke", "retrieve-ignores-revoke", NoOwner, Strategies.Probabilistic)]
    [InlineData("caps-retrieve-vs-copy", "retrieve-drops-early-registration", MissedDescendantHolder, Strategies.Pct)]
    [InlineData("caps-retrieve-vs-copy", "retrieve-drops-early-registration", MissedDescendantHolder, Strategies.Probabilistic)]
    public void Exploration_finds_each_seeded_protocol_bug_within_the_CI_budget(string scenario, string variant, string message, string strategy)
    {
        var result = Explore.Scenario(scenario, variant, strategy);
        Assert.True(result.FoundBug, $"{strategy} ran {result.IterationsRun} iterations of {scenario}/{variant} without finding it");
        Assert.Matches(message, result.BugMessage);
        Assert.True(result.IterationsRun <= Explore.CiBudget);
        Assert.NotNull(result.ReproducibleTrace);
    }

    private const string Starved = "EveryOperationEnds detected liveness bug in hot state 'Running'";
    private const string NotSerialized = "^agreements \\d+\\.\\d+ and \\d+\\.\\d+ on object 1 are not serialized: \\d+\\.\\d+ committed before core \\d+ applied ";
    private const string MissedHolder = "owner 0 of Ram\\S+ does not count core 1 as a copy holder";
    private const string MissedDescendantHolder = "owner 2 of Ram\\S+ does not count core 3 as a descendant holder";
    private const string NoOwner = "Ram\\S+ has 0 owners \\(\\) and 0 ownership transfers in flight";
    private const string LockLeak = "Ram\\S+ is still locked on core 0 after every operation finished";
}
