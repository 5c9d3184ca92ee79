using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// Starvation: on amd-4x4 over cores {0,4,5,6} (as scenario agreement), core 0 (the lowest) runs one operation on
/// object 1 while core 6 (the highest) runs a stream of operations on the same object, two in flight at a time. The
/// stream stands for a busy core that never stops: it goes on for as long as core 0's operation has not committed
/// (the environment, not the protocol, looks at the ledger for that) and ends once it has. So the run ends, and the
/// liveness monitor <c>EveryOperationEnds</c> goes cold, exactly when the low operation has committed and the stream's
/// last operations have ended; a run in which the low operation loses every conflict goes on until the step budget
/// runs out with the monitor hot, which Coyote reports as a liveness bug. Every safety check of scenario agreement runs
/// too, and retries are unbounded (no retry budget). Variant <c>fixed-priority</c> (the rule before tickets: the higher
/// coordinator core wins every conflict) starves core 0; the correct rule (older ticket wins) lets it commit.
/// </summary>
public sealed class AgreementFairnessScenario : IScenario, IScenarioCoverage
{
    /// <summary>The step budget: a run whose low operation has not committed by then is a liveness bug.</summary>
    public const long MaxSteps = 10_000;

    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) => CoverageMachine.From(Protocols.Agreement.AgreementMachines.Infos());

    public string Name => "agreement-fairness";
    public string Description => "starvation freedom: core 0's operation against an endless stream of operations on the same object from core 6";
    public IReadOnlyList<ScenarioVariant> Variants { get; } = AgreementVariants.Fairness.Select(v => new ScenarioVariant(v.Name, v.Breaks)).ToList();
    public string DefaultMachine => "amd-4x4";
    public int DefaultCores => 4;

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        if (cores != 4) throw new ArgumentException("scenario agreement-fairness runs on 4 cores");
        var participants = AgreementScenario.CoresFor(emulation, cores);
        var system = new AgreementSystem(emulation, AgreementVariants.Parse(variant));
        var ledger = system.Ledger!;
        var low = participants[0];
        var high = participants[^1];
        var lowOperation = AgreementSpec.InstanceId(low, 0);
        system.AddWorkload(low, [new AgreementSpec(lowOperation, 1, low, TreeKind.Multicast, participants)], window: 1);
        system.AddStream(high, participants, TreeKind.Multicast,
            sequence => ledger.HasCommitted(lowOperation) ? null : new AgreementSpec(AgreementSpec.InstanceId(high, sequence), 1, high, TreeKind.Multicast, participants),
            window: 2);
        system.Start();
        var outcome = emulation.Run(maxSteps: MaxSteps);
        if (outcome.Ended)
        {
            ledger.CheckAllEnded();
            SafetyViolationException.Check(ledger.HasCommitted(lowOperation), $"operation {AgreementSpec.Describe(lowOperation)} of core {low} never committed");
        }
        system.RecycleMachines();
        return outcome;
    }
}
