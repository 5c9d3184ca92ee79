using FsCheck;
using FsCheck.Fluent;
using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Tests.Agreement;

/// <summary>One agreement of a random workload: who coordinates, on which object and tree, over which cores, from when.</summary>
public sealed record RandomAgreement(int Coordinator, long Object, TreeKind Kind, int[] Others, int StartCycle)
{
    public override string ToString() => $"core {Coordinator} obj {Object} {TreeKinds.Name(Kind)} +[{string.Join(",", Others)}] @{StartCycle}";
}

/// <summary>A random agreement workload on amd-4x4, run on the cycle emulator with every guarantee checked.</summary>
public sealed record RandomWorkload(RandomAgreement[] Agreements)
{
    public const string Machine = "amd-4x4";
    public const int Window = 2;

    public override string ToString() => $"[{string.Join("; ", Agreements.Select(a => a.ToString()))}]";

    /// <summary>Runs the workload; returns null when every guarantee held and the run ended, else what broke.</summary>
    public string? Check(AgreementVariant variant)
    {
        var emulation = new Emulation(TestMachines.Get(Machine));
        var system = new AgreementSystem(emulation, variant);
        var starts = new Dictionary<int, long>();
        foreach (var group in Agreements.GroupBy(a => a.Coordinator))
        {
            var specs = group.Select((a, i) => new AgreementSpec(AgreementSpec.InstanceId(a.Coordinator, i), a.Object, a.Coordinator, a.Kind,
                a.Others.Append(a.Coordinator).Distinct().Order().ToList())).ToList();
            system.AddWorkload(group.Key, specs, Window);
            starts[group.Key] = group.First().StartCycle;
        }
        try
        {
            system.Start(core => starts.GetValueOrDefault(core));
            var outcome = emulation.Run(maxSteps: 5_000_000);
            if (!outcome.Ended) return outcome.Report;
            system.Ledger!.CheckAllEnded();
            return null;
        }
        catch (SafetyViolationException e)
        {
            return e.Message;
        }
    }

    public static Arbitrary<RandomWorkload> Arbitrary()
    {
        var cores = TestMachines.Get(Machine).CoreCount;
        var agreement =
            from coordinator in Gen.Choose(0, cores - 1)
            from obj in Gen.Choose(1, 3)
            from kind in Gen.Elements(TreeKind.Unicast, TreeKind.Multicast, TreeKind.Numa)
            from others in Gen.ArrayOf(Gen.Choose(0, cores - 1)).Resize(5)
            from start in Gen.Choose(0, 4000)
            select new RandomAgreement(coordinator, obj, kind, others.Where(o => o != coordinator).Distinct().Order().ToArray(), start);
        var workload = Gen.NonEmptyListOf(agreement).Resize(6).Select(l => new RandomWorkload(l.ToArray()));
        return Arb.From(workload, Shrink);
    }

    /// <summary>Smaller workloads: drop an agreement, drop a participant, start at cycle 0.</summary>
    private static IEnumerable<RandomWorkload> Shrink(RandomWorkload w)
    {
        var a = w.Agreements;
        for (var i = 0; i < a.Length && a.Length > 1; i++)
            yield return new RandomWorkload(a.Where((_, j) => j != i).ToArray());
        for (var i = 0; i < a.Length; i++)
        {
            for (var k = 0; k < a[i].Others.Length; k++)
                yield return With(w, i, a[i] with { Others = a[i].Others.Where((_, j) => j != k).ToArray() });
            if (a[i].StartCycle != 0) yield return With(w, i, a[i] with { StartCycle = 0 });
            if (a[i].Kind != TreeKind.Unicast) yield return With(w, i, a[i] with { Kind = TreeKind.Unicast });
        }
    }

    private static RandomWorkload With(RandomWorkload w, int i, RandomAgreement a)
    {
        var copy = w.Agreements.ToArray();
        copy[i] = a;
        return new RandomWorkload(copy);
    }
}
