using MkVerified.Experiments;
using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Tests.Agreement;

/// <summary>Participant sets beyond core 255: the prepare carries its mask in PrepareMore messages that follow it.</summary>
public class LargeParticipantSetTests
{
    [Fact]
    public void A_set_below_core_256_is_one_message_and_a_larger_one_is_a_prepare_and_its_continuations()
    {
        var small = new AgreementSpec(AgreementSpec.InstanceId(3, 1), 7, 3, TreeKind.Multicast, [0, 3, 255]) { Ticket = 9 };
        Assert.Single(AgreementMessages.Prepare(small));

        int[] cores = [0, 3, 64, 255, 256, 700, 1023];
        var large = small with { Participants = cores };
        var messages = AgreementMessages.Prepare(large);
        Assert.Equal(1 + 3, messages.Length); // 16 mask words: 3 in the prepare, 6 in each continuation
        Assert.True(AgreementMessages.IsLongPrepare(messages[0]));
        Assert.Equal(AgreementKind.PrepareMore, (AgreementKind)(messages[1].Type & 0xFF));
        var mask = new List<long>();
        var header = AgreementMessages.ReadPrepareHeader(messages[0], mask);
        foreach (var m in messages.Skip(1)) AgreementMessages.ReadPrepareMore(m, mask, AgreementMessages.MaskWords(messages[0]));
        Assert.Equal(16, mask.Count);
        Assert.Equal(cores, AgreementMessages.Participants(mask));
        Assert.Equal((large.Instance, large.Object, large.Root, large.Kind, large.Ticket), (header.Instance, header.Object, header.Root, header.Kind, header.Ticket));
        Assert.Throws<ArgumentException>(() => AgreementMessages.ReadPrepare(messages[0]));
    }

    [Theory]
    [InlineData(TreeKind.Unicast)]
    [InlineData(TreeKind.Numa)]
    public void An_agreement_over_300_cores_of_synthetic_1024_commits_with_every_check(TreeKind kind)
    {
        var emulation = new Emulation(TestMachines.Get("synthetic-1024"));
        var system = new AgreementSystem(emulation);
        var participants = Enumerable.Range(0, 300).ToList();
        system.AddWorkload(0, [new AgreementSpec(AgreementSpec.InstanceId(0, 0), 1, 0, kind, participants)], window: 1);
        system.Start();
        var outcome = emulation.Run(maxSteps: 2_000_000);
        Assert.True(outcome.Ended, outcome.Report);
        system.Ledger!.CheckAllEnded();
        var result = Assert.Single(system.Results);
        Assert.True(result.Committed, result.Reason);
        Assert.Equal(300, system.Handlers.Count);
    }

    [Fact]
    public void The_2pc_sweep_continues_in_powers_of_two_up_to_the_machine()
    {
        Assert.Equal([2, 4, 8, 12, 16, 20, 24, 28, 32], TwoPhaseCommitExperiment.CoreCounts(32));
        Assert.Equal([2, 4, 8, 12, 16, 20, 24, 28, 32, 64, 128, 256, 512, 1024], TwoPhaseCommitExperiment.CoreCounts(1024));
    }
}
