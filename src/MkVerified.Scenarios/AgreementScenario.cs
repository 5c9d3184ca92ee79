using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// Two-phase commit on amd-4x4 with cores in two packages, so the multicast tree has a forwarder with two children:
/// core 0 coordinates two pipelined agreements (objects 1 and 2) over {0,4,5,6}, while core 6 (the last core) coordinates
/// a conflicting agreement on object 1 over the same cores (wait-die: 6.x outranks 0.x; a conflict abort is retried).
/// Checks (the ledger, as they happen): all who decide decide the same; commit only if every participant voted yes;
/// conflicting agreements never both commit; commits on an object are serialized; no operation commits twice; no lock
/// held after an agreement ends; and at the end every agreement ended, every operation committed or gave up, and no
/// lock is held. A deadlock is a bug.
/// With 3 cores ({0,4,5}, rival core 5) the forwarder has one child, so the two aggregation bugs cannot show there.
/// </summary>
public sealed class AgreementScenario : IScenario, IScenarioCoverage
{
    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) => CoverageMachine.From(Protocols.Agreement.AgreementMachines.Infos());

    public string Name => "agreement";
    public string Description => "two-phase commit: two pipelined agreements from core 0 and a conflicting one from another package, on a multicast tree";
    public IReadOnlyList<ScenarioVariant> Variants { get; } = AgreementVariants.All.Select(v => new ScenarioVariant(v.Name, v.Breaks)).ToList();
    public string DefaultMachine => "amd-4x4";
    public int DefaultCores => 4;

    /// <summary>The scenario's cores: core 0, then the first cores of the next package.</summary>
    public static IReadOnlyList<int> CoresFor(Emulation emulation, int cores)
    {
        if (cores is < 3 or > 4) throw new ArgumentException("scenario agreement runs on 3 or 4 cores");
        var topology = emulation.Topology;
        var remote = Enumerable.Range(0, topology.CoreCount).Where(c => topology.PackageOf(c) != topology.PackageOf(0)).Take(cores - 1).ToList();
        if (remote.Count < cores - 1 || remote.Any(c => topology.PackageOf(c) != topology.PackageOf(remote[0])))
            throw new ArgumentException($"scenario agreement needs a machine with {cores - 1} cores in a second package");
        return [0, .. remote];
    }

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        var participants = CoresFor(emulation, cores);
        var system = new AgreementSystem(emulation, AgreementVariants.Parse(variant));
        var rival = participants[^1];
        system.AddWorkload(0, [Spec(0, 0, 1, participants), Spec(0, 1, 2, participants)], window: 2);
        system.AddWorkload(rival, [Spec(rival, 0, 1, participants)], window: 1);
        system.Start();
        var outcome = emulation.Run(maxSteps: 2_000_000);
        if (outcome.Ended) system.Ledger!.CheckAllEnded();
        system.RecycleMachines();
        return outcome;
    }

    private static AgreementSpec Spec(int root, int sequence, long obj, IReadOnlyList<int> participants) =>
        new(AgreementSpec.InstanceId(root, sequence), obj, root, TreeKind.Multicast, participants);
}
