using MkVerified.Scenarios;
using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Tests.Agreement;

/// <summary>
/// Starvation freedom (scenario agreement-fairness, plain seeded random schedules, no Coyote): core 0's operation
/// against a stream from core 6 that lasts until it commits. The correct rule (older ticket wins) lets it commit under
/// every schedule tried; fixed-priority (the old rule) starves it until the step budget runs out.
/// </summary>
public class AgreementFairnessTests
{
    private static string? Bug(string variant, IPickPolicy? policy) => ScenarioProbe.Bug(new AgreementFairnessScenario(), variant, policy);

    [Fact]
    public void The_low_operation_commits_in_cycle_order_and_under_300_random_schedules()
    {
        Assert.Null(Bug(IScenario.Correct, null));
        for (var seed = 0; seed < 300; seed++) Assert.Null(Bug(IScenario.Correct, new SeededRandomPolicy(seed)));
    }

    [Fact]
    public void Under_fixed_priority_the_low_operation_starves_in_cycle_order_until_the_step_budget()
    {
        var emulation = new Emulation(TestMachines.Get("amd-4x4"));
        var outcome = new AgreementFairnessScenario().Run(emulation, "fixed-priority", 4);
        Assert.Equal(RunStatus.StepLimit, outcome.Status);
        Assert.Equal(AgreementFairnessScenario.MaxSteps, outcome.Steps);
    }

    [Fact]
    public void Under_fixed_priority_most_random_schedules_starve_the_low_operation()
    {
        var starved = 0;
        for (var seed = 0; seed < 20; seed++)
            if (Bug("fixed-priority", new SeededRandomPolicy(seed)) is not null) starved++;
        Assert.InRange(starved, 10, 20);
    }

    [Fact]
    public void Older_tickets_win_ties_go_to_the_higher_core_and_fixed_priority_ignores_tickets()
    {
        AgreementSpec Op(int root, int sequence, long ticket) =>
            new(AgreementSpec.InstanceId(root, sequence), 1, root, TreeKind.Multicast, [0, 6]) { Ticket = ticket };
        Assert.True(AgreementSpec.Outranks(Op(0, 5, 3), Op(6, 0, 4), AgreementVariant.Correct));
        Assert.False(AgreementSpec.Outranks(Op(6, 0, 4), Op(0, 5, 3), AgreementVariant.Correct));
        Assert.True(AgreementSpec.Outranks(Op(6, 0, 3), Op(0, 0, 3), AgreementVariant.Correct));
        Assert.False(AgreementSpec.Outranks(Op(0, 5, 3), Op(6, 0, 4), AgreementVariant.FixedPriority));
    }

    [Fact]
    public void A_prepare_carries_the_ticket_and_a_retry_keeps_it()
    {
        var spec = new AgreementSpec(AgreementSpec.InstanceId(6, 2), 9, 6, TreeKind.Numa, [0, 4, 5, 6]) { Ticket = 123456 };
        var read = AgreementMessages.ReadPrepare(AgreementMessages.Prepare(spec).Single());
        Assert.Equal((spec.Instance, spec.Object, spec.Root, spec.Kind, spec.Ticket), (read.Instance, read.Object, read.Root, read.Kind, read.Ticket));
        Assert.Equal(spec.Participants, read.Participants);

        // Core 0 loses its first attempt to core 6 (same ticket, higher core); its retry keeps ticket 1.
        var emulation = new Emulation(TestMachines.Get("amd-4x4"));
        var system = new AgreementSystem(emulation);
        foreach (var core in new[] { 0, 6 })
            system.AddWorkload(core, [new AgreementSpec(AgreementSpec.InstanceId(core, 0), 1, core, TreeKind.Multicast, [0, 4, 5, 6])], window: 1);
        system.Start();
        Assert.True(emulation.Run(maxSteps: 2_000_000).Ended);
        var zero = system.Handlers[0].Results;
        Assert.True(zero.Count >= 2);
        Assert.All(zero, r => Assert.Equal(1, r.Spec.Ticket));
        Assert.True(system.Handlers[6].LamportClock >= 1);
    }
}
