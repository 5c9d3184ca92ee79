using MkVerified.Hardware;
using MkVerified.Kernel.Vm;
using MkVerified.Protocols.Shootdown;
using MkVerified.Runtime;

namespace MkVerified.Experiments;

/// <summary>
/// Measures one shootdown or unmap on cores 0..N-1 (initiator 0): the mean over several operations after a warm-up of one ring's worth of operations,
/// every cycle from the machine model, the channels and the protocol's messages.
/// </summary>
public static class ShootdownBench
{
    // One full ring of warm-up: until every slot line has been used once, polls of a fresh slot miss to memory.
    private const int Warmup = 34;
    private const int Rounds = 8;
    private const int Page = 3;
    private const int TlbEntries = 64;

    /// <summary>Mean cycles of a message-based shootdown (or unmap) over <paramref name="cores"/> cores.</summary>
    /// <remarks><paramref name="machine"/> builds the run (default: the emulator; the threads backend times it in real time).</remarks>
    public static double Messages(Topology topology, ShootdownProtocol protocol, int cores, bool unmap, Func<Topology, Emulation>? machine = null)
    {
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        var costs = topology.Model.Costs;
        var table = new PageTable(emulation, 64, topology.PackageOf(0));
        var network = new ShootdownNetwork(emulation, protocol, 0, Enumerable.Range(1, cores - 1).ToList());
        var services = Enumerable.Range(0, cores)
            .Select(c => new ShootdownService(c, network, new CpuDriver(c, new Tlb(TlbEntries), costs.TlbInvalidate), table, ShootdownVariant.Correct, costs.Trap))
            .ToArray();
        long total = 0;
        emulation.Start(0, async ctx =>
        {
            for (var i = 0; i < Warmup + Rounds; i++)
            {
                if (unmap) await table.MapAsync(ctx, Page, 100 + i);
                var start = ctx.Clock;
                if (unmap) await services[0].UnmapAsync(ctx, i, Page, 100 + i);
                else await services[0].ShootdownAsync(ctx, i, Page, unmap: false);
                if (i >= Warmup) total += ctx.Clock - start;
            }
        });
        for (var c = 1; c < cores; c++)
        {
            var service = services[c];
            emulation.Start(c, service.ServeAsync);
        }
        Expect(emulation.Run());
        return total / (double)Rounds;
    }

    /// <summary>Mean cycles of an IPI-based shootdown (or unmap) with the given baseline profile.</summary>
    public static double Ipi(Topology topology, IpiProfile profile, int cores, bool unmap)
    {
        var emulation = new Emulation(topology);
        var costs = topology.Model.Costs;
        var table = new PageTable(emulation, 64, topology.PackageOf(0));
        var ipi = new IpiShootdown(emulation, profile, 0);
        var cpus = Enumerable.Range(0, cores).Select(c => new CpuDriver(c, new Tlb(TlbEntries), costs.TlbInvalidate)).ToArray();
        var targets = Enumerable.Range(1, cores - 1).ToList();
        long total = 0;
        emulation.Start(0, async ctx =>
        {
            for (var i = 0; i < Warmup + Rounds; i++)
            {
                if (unmap) await table.MapAsync(ctx, Page, 100 + i);
                var start = ctx.Clock;
                if (unmap) await ipi.UnmapAsync(ctx, cpus[0], table, Page, targets);
                else await ipi.ShootdownAsync(ctx, cpus[0], table, Page, targets, unmap: false);
                if (i >= Warmup) total += ctx.Clock - start;
            }
        });
        for (var c = 1; c < cores; c++)
        {
            var cpu = cpus[c];
            emulation.Start(c, ctx => ipi.ServeAsync(ctx, cpu, Page));
        }
        Expect(emulation.Run());
        return total / (double)Rounds;
    }

    /// <summary>Core counts 2, 4, ..., 32 (clipped at the machine's size), then powers of two up to the machine's size.</summary>
    public static IReadOnlyList<int> CoreCounts(Topology topology)
    {
        var counts = Enumerable.Range(1, 16).Select(i => 2 * i).Where(n => n <= topology.CoreCount).ToList();
        for (var n = 64; n <= topology.CoreCount; n *= 2) counts.Add(n);
        return counts;
    }

    private static void Expect(RunOutcome outcome)
    {
        if (!outcome.Ended) throw new InvalidOperationException($"shootdown did not finish: {outcome.Status} {outcome.Report}");
    }
}
