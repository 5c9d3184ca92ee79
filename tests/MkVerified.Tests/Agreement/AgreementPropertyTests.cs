using FsCheck;
using FsCheck.Fluent;
using MkVerified.Protocols.Agreement;

namespace MkVerified.Tests.Agreement;

/// <summary>FsCheck: random workloads (coordinators, objects, tree kinds, participant sets, start cycles) on the cycle emulator.</summary>
public class AgreementPropertyTests
{
    private static Config Seeded(int tests) =>
        Config.QuickThrowOnFailure.WithMaxTest(tests).WithQuietOnSuccess(true)
            .WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(new Replay(new Rnd(20261127UL, 1442695040888963407UL), null)));

    [Fact]
    public void Random_workloads_keep_every_guarantee_on_the_correct_protocol()
    {
        var property = Prop.ForAll(RandomWorkload.Arbitrary(), w =>
        {
            var bug = w.Check(AgreementVariant.Correct);
            return (bug is null).Label(bug ?? "");
        });
        Check.One(Seeded(150), property);
    }

    [Fact]
    public void The_property_fails_on_abort_keeps_lock_and_shrinks_to_two_agreements_on_one_object()
    {
        RandomWorkload? smallest = null;
        string? why = null;
        var property = Prop.ForAll(RandomWorkload.Arbitrary(), w =>
        {
            var bug = w.Check(AgreementVariant.AbortKeepsLock);
            if (bug is not null) (smallest, why) = (w, bug);
            return (bug is null).Label(bug ?? "");
        });
        var failure = Assert.ThrowsAny<Exception>(() => Check.One(Seeded(150), property));
        Assert.Contains("Falsifiable", failure.Message);
        Assert.NotNull(smallest);
        Assert.Contains("still holds the lock", why);
        // A lock survives only an abort, and an abort needs two agreements on one object: the minimum the shrinker can reach.
        Assert.Equal(2, smallest.Agreements.Length);
        Assert.Equal(smallest.Agreements[0].Object, smallest.Agreements[1].Object);
        Assert.Contains(smallest.ToString(), failure.Message);
    }
}
