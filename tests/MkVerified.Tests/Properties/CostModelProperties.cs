using FsCheck;
using FsCheck.Fluent;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Tests.Properties;

/// <summary>
/// Properties of the coherence cost model over random machines (the four paper models and synthetic meshes of
/// random size with a paper model's costs) and random access sequences.
/// </summary>
public class CostModelProperties
{
    private static readonly string[] PaperModels = ["intel-2x4", "amd-2x2", "amd-4x4", "amd-8x4"];
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true);

    /// <summary>One access of a sequence: which core (mod the core count), which of 4 lines, read or write, and idle cycles before it.</summary>
    public readonly record struct Access(int Core, int Line, bool IsWrite, int Gap)
    {
        public override string ToString() => $"{(IsWrite ? "W" : "R")}{Line}@{Core}+{Gap}";
    }

    public sealed record Machine(Topology Topology)
    {
        public override string ToString() => $"{Topology.Model.Name} ({Topology.CoreCount} cores, {Topology.PackageCount} packages)";
    }

    private static readonly Gen<Machine> Machines = Gen.OneOf(
        Gen.Elements(PaperModels).Select(name => new Machine(TestMachines.Get(name))),
        from costsOf in Gen.Elements(PaperModels)
        from columns in Gen.Choose(1, 4)
        from rows in Gen.Choose(1, 4)
        from perPackage in Gen.Choose(1, 4)
        select new Machine(new Topology(SyntheticMachine.Mesh($"mesh-{columns}x{rows}x{perPackage}-{costsOf}", columns, rows, perPackage, TestMachines.Get(costsOf).Model.Costs, TestMachines.Get(costsOf).Model.Coherence))));

    private static readonly Gen<Access[]> Sequences = Gen.ArrayOf(
        from core in Gen.Choose(0, 1023)
        from line in Gen.Choose(0, 3)
        from write in Gen.Elements(false, true)
        from gap in Gen.Choose(0, 400)
        select new Access(core, line, write, gap));

    private static void Check2(Func<Machine, Access[], bool> property) =>
        Check.One(Quick, Prop.ForAll(Arb.From(Machines), Arb.From(Sequences), property));

    /// <summary>Runs a sequence on a fresh directory; returns each access's (start, end) in cycles.</summary>
    private static List<(long Start, long End)> Replay(Topology t, Access[] accesses, Action<CoherenceDirectory, Access>? after = null)
    {
        var d = new CoherenceDirectory(t);
        d.AddLines(4, homePackage: t.PackageCount - 1);
        var now = 0L;
        var spans = new List<(long, long)>();
        foreach (var a in accesses)
        {
            now += a.Gap;
            var core = a.Core % t.CoreCount;
            var end = a.IsWrite ? d.Write(core, a.Line, now) : d.Read(core, a.Line, now);
            spans.Add((now, end));
            now = end;
            after?.Invoke(d, a with { Core = core });
        }
        return spans;
    }

    [Fact]
    public void A_transfer_never_costs_less_than_a_local_hit() =>
        Check2((m, accesses) =>
        {
            var t = m.Topology;
            var hit = t.Model.Costs.CacheHit;
            for (var a = 0; a < t.CoreCount; a++)
                for (var b = 0; b < t.CoreCount; b++)
                    if (t.SameChip(a, b) && t.OnChipCost(a, b) < hit) return false;
            return Replay(t, accesses).All(s => s.End - s.Start >= hit);
        });

    [Fact]
    public void A_miss_that_leaves_the_chip_costs_at_least_its_messages_flight_over_the_links() =>
        Check.One(Quick, Prop.ForAll(Arb.From(Machines), Gen.Choose(0, 1023).ToArbitrary(), Gen.Choose(0, 1023).ToArbitrary(), (m, x, y) =>
        {
            var t = m.Topology;
            var (writer, reader) = (x % t.CoreCount, y % t.CoreCount);
            if (t.SameChip(writer, reader)) return true;
            var d = new CoherenceDirectory(t);
            var home = t.PackageOf(writer);
            d.AddLines(1, home);
            var written = d.Write(writer, 0, 0);
            var read = d.Read(reader, 0, written + 100_000) - (written + 100_000);
            var fabric = d.Fabric;
            var rp = t.PackageOf(reader);
            var node = fabric.Hub >= 0 ? fabric.Hub : home;
            var flight = (fabric.Hops(rp, node) + Math.Max(1, fabric.Hops(node, t.PackageOf(writer)) + fabric.Hops(t.PackageOf(writer), rp))) * t.Model.Coherence.LinkLatency;
            return read >= flight;
        }));

    [Fact]
    public void The_same_access_sequence_gives_the_same_cycles() =>
        Check2((m, accesses) => Replay(m.Topology, accesses).SequenceEqual(Replay(m.Topology, accesses)) && EmulatedClocks(m.Topology, accesses).SequenceEqual(EmulatedClocks(m.Topology, accesses)));

    [Fact]
    public void A_write_leaves_exactly_one_holder_the_writer() =>
        Check2((m, accesses) =>
        {
            var ok = true;
            Replay(m.Topology, accesses, (d, a) =>
            {
                if (a.IsWrite) ok &= d.SharerCount(a.Line) == 1 && d.Holds(a.Core, a.Line) && d.OwnerOf(a.Line) == a.Core;
                else ok &= d.Holds(a.Core, a.Line);
            });
            return ok;
        });

    /// <summary>The sequence split among the cores of an emulation (each core runs its accesses in order); returns every core's final clock.</summary>
    private static long[] EmulatedClocks(Topology t, Access[] accesses)
    {
        var e = new Emulation(t);
        var lines = e.Memory.Allocate(4 * SharedMemory.WordsPerLine, t.PackageCount - 1);
        foreach (var group in accesses.GroupBy(a => a.Core % t.CoreCount))
        {
            var mine = group.ToArray();
            e.Start(group.Key, async ctx =>
            {
                foreach (var a in mine)
                {
                    ctx.Compute(a.Gap);
                    var address = lines + a.Line * SharedMemory.WordsPerLine;
                    if (a.IsWrite) await ctx.Write(address, a.Gap);
                    else await ctx.Read(address);
                }
            });
        }
        e.RunWithin(100_000);
        return Enumerable.Range(0, t.CoreCount).Select(c => e.CoreState(c).Clock).ToArray();
    }
}
