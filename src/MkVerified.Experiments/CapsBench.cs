using MkVerified.Hardware;
using MkVerified.Kernel.Caps;
using MkVerified.Protocols.Capabilities;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Experiments;

/// <summary>Mean latency in cycles of each distributed capability operation on one core count with some cores holding copies.</summary>
public sealed record CapsLatencies(int Cores, int Holders, double Copy, double Retype, double Delete, double Revoke);

/// <summary>
/// Measures the capability operations on cores 0..N-1 of which H (besides core 0) hold copies, spread evenly over
/// cores 1..N-1 (the last one always among them). Core 0 owns a RAM capability R and drives rounds; the other cores
/// only serve. One round, all through the real protocol:
/// copy R to every holder but the first (untimed), then to the first (timed "copy": one destination whatever N is);
/// retype R into Frame F0 on core 0 and copy F0 to every holder (untimed; R's owner now knows which cores hold
/// descendants); retype R into Frame F1 (timed "retype": the owner asks the descendant holders for overlaps);
/// delete core 0's F0, its last local copy (timed "delete": query the holders, move ownership to the first);
/// revoke R (timed "revoke": mark and sweep on the holders), which leaves R alone on core 0, as the round began.
/// So every round starts from the same state and the same slot lines; the warm-up rounds run until every URPC
/// ring has been used all the way round once (a poll of a never-used slot line misses to memory).
/// </summary>
public static class CapsBench
{
    private const int MeasuredRounds = 4;
    private const int Slots = 8;
    private const long Page = RetypeRules.PageSize;

    /// <summary>The cores holding copies when <paramref name="holders"/> of cores 1..<paramref name="cores"/>-1 do: spread evenly, the last core always one.</summary>
    public static IReadOnlyList<int> HolderCores(int cores, int holders) =>
        Enumerable.Range(1, holders).Select(i => i * (cores - 1) / holders).ToList();

    /// <summary>Every core but the owner holds copies.</summary>
    public static CapsLatencies Measure(Topology topology, int cores) => Measure(topology, cores, cores - 1);

    /// <summary>
    /// As above; given a <paramref name="machine"/> that builds a host-threads run, the same rounds in real time (nominal
    /// cycles of the host's clock), where the modeled trap costs nothing extra.
    /// </summary>
    public static CapsLatencies Measure(Topology topology, int cores, int holders, Func<Topology, Emulation>? machine = null)
    {
        if (cores < 2) throw new ArgumentOutOfRangeException(nameof(cores), "capability replication needs at least two cores");
        if (holders < 1 || holders > cores - 1) throw new ArgumentOutOfRangeException(nameof(holders), $"between 1 and {cores - 1} cores can hold copies besides the owner");
        var holderCores = HolderCores(cores, holders);
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        var tables = Enumerable.Range(0, cores).Select(c => new CapTable(c, Slots)).ToList();
        foreach (var t in tables) t.Bind(emulation);
        var memoryServer = new MemoryServer(0, 0x100000);
        var ram = memoryServer.Allocate(4 * Page);
        var ramSlot = tables[0].Insert(new Capability(ram, CapRights.All), owner: 0);
        var network = new CapsNetwork(emulation, Enumerable.Range(0, cores).ToList());
        var trap = topology.Model.Costs.Trap;
        var services = tables.Select(t => new CapsService(t.Core, t, network, memoryServer, CapsVariant.Correct, trap)).ToList();
        var warmup = WarmupRounds();
        var totals = new long[4];
        emulation.Start(0, async ctx =>
        {
            var s = services[0];
            for (var round = 0; round < warmup + MeasuredRounds; round++)
            {
                var timed = round >= warmup;
                foreach (var dest in holderCores.Skip(1)) Expect(await s.CopyAsync(ctx, ramSlot, dest), "copy R");
                var start = ctx.Clock;
                Expect(await s.CopyAsync(ctx, ramSlot, holderCores[0]), "copy R to the first holder");
                if (timed) totals[0] += ctx.Clock - start;

                Expect(await s.RetypeAsync(ctx, ramSlot, CapType.Frame, 0, Page), "retype F0");
                var f0 = SlotOf(s.Table, new CapKey(CapType.Frame, ram.Base, Page));
                foreach (var dest in holderCores) Expect(await s.CopyAsync(ctx, f0, dest), "copy F0");

                start = ctx.Clock;
                Expect(await s.RetypeAsync(ctx, ramSlot, CapType.Frame, Page, Page), "retype F1");
                if (timed) totals[1] += ctx.Clock - start;

                start = ctx.Clock;
                Expect(await s.DeleteAsync(ctx, f0), "delete F0");
                if (timed) totals[2] += ctx.Clock - start;

                start = ctx.Clock;
                Expect(await s.RevokeAsync(ctx, ramSlot), "revoke R");
                if (timed) totals[3] += ctx.Clock - start;
            }
        });
        for (var c = 1; c < cores; c++) emulation.Start(c, services[c].ServeAsync);
        var outcome = emulation.Run();
        if (!outcome.Ended) throw new InvalidOperationException($"capability bench on {cores} cores did not finish: {outcome.Status} {outcome.Report}");
        if (tables.Sum(t => t.OccupiedCount) != 1) throw new InvalidOperationException("capability bench: the final revoke did not leave R alone");
        return new CapsLatencies(cores, holders, totals[0] / (double)MeasuredRounds, totals[1] / (double)MeasuredRounds,
            totals[2] / (double)MeasuredRounds, totals[3] / (double)MeasuredRounds);
    }

    /// <summary>
    /// Rounds until the least used ring (the first holder to another holder carries one ownership update per round)
    /// has gone all the way round once; the busier rings of core 0 wrap several times meanwhile.
    /// </summary>
    private static int WarmupRounds() => UrpcOptions.Default.Slots + 1;

    private static int SlotOf(CapTable table, CapKey key) =>
        table.Occupied().First(o => o.Cap.Key == key).Slot;

    private static void Expect(CapResult result, string what)
    {
        if (result != CapResult.Ok) throw new InvalidOperationException($"capability bench: {what} answered {result}");
    }
}
