using MkVerified.Hardware;
using MkVerified.Kernel.Vm;
using MkVerified.Protocols.Shootdown;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// Core 0 unmaps a page (NUMA-aware multicast shootdown) while the other cores keep touching it. Checks: when unmap
/// returns no TLB maps the page; no core uses the frame after it was freed; every shootdown completes.
/// Cores are spread two per package so the tree has an aggregation core with a child.
/// </summary>
public sealed class TlbShootdownScenario : IScenario, IScenarioCoverage
{
    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) => CoverageMachine.From(Protocols.Shootdown.ShootdownMachines.Infos());

    private const int Page = 5;
    private const long Frame = 42;
    private const int Touches = 12;

    public string Name => "tlb-shootdown";
    public string Description => "core 0 unmaps a page over a NUMA-aware multicast tree while the other cores keep touching it";
    public IReadOnlyList<ScenarioVariant> Variants { get; } = ShootdownVariants.All.Select(v => new ScenarioVariant(v.Name, v.Breaks)).ToList();
    public string DefaultMachine => "amd-4x4";
    public int DefaultCores => 4;

    // Bound 3 completes in 2 minutes here (spec/exploration.md, "Default bound per scenario").
    public int? DefaultPreemptionBound => 3;

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        var v = ShootdownVariants.Parse(variant);
        var topology = emulation.Topology;
        var members = Spread(topology, cores);
        var costs = topology.Model.Costs;
        var table = new PageTable(emulation, 16, topology.PackageOf(0));
        var frames = emulation.Memory.Allocate(64 * SharedMemory.WordsPerLine, topology.PackageOf(0));
        var network = new ShootdownNetwork(emulation, ShootdownProtocol.NumaMulticast, members[0], members.Skip(1).ToList(), v);
        var checker = new Checker(emulation, members[0]);
        var services = members.ToDictionary(c => c, c => new ShootdownService(c, network, new CpuDriver(c, new Tlb(8), costs.TlbInvalidate), table, v, costs.Trap, checker));
        checker.Cpus = services.Values.Select(s => s.Cpu).ToList();
        var done = false;
        emulation.Start(members[0], async ctx =>
        {
            await table.MapAsync(ctx, Page, Frame);
            await services[members[0]].Cpu.TranslateAsync(ctx, table, Page);
            await ctx.Read(table.EntryAddress(Page)); // give the others a chance to fill their TLBs first
            await services[members[0]].ShootdownAsync(ctx, 1, Page, unmap: true, Frame);
            done = true;
        });
        foreach (var core in members.Skip(1))
        {
            var service = services[core];
            emulation.Start(core, async ctx =>
            {
                for (var i = 0; i < Touches; i++)
                {
                    var frame = await service.Cpu.TranslateAsync(ctx, table, Page);
                    if (frame < 0) break; // unmapped: the access faults, as it should
                    checker.Used(core, frame);
                    await ctx.Read(frames + frame * SharedMemory.WordsPerLine);
                    await service.ServeOnceAsync(ctx);
                }
                await service.ServeAsync(ctx);
            });
        }
        var outcome = emulation.Run(maxSteps: 200_000);
        if (outcome.Ended) SafetyViolationException.Check(done, "the unmap never returned");
        return outcome;
    }

    /// <summary>Two cores per package, packages in order, starting with core 0.</summary>
    public static IReadOnlyList<int> Spread(Topology topology, int cores)
    {
        var result = new List<int>();
        for (var p = 0; p < topology.PackageCount && result.Count < cores; p++)
            result.AddRange(topology.CoresOfPackage(p).Take(Math.Min(2, cores - result.Count)));
        if (result.Count < cores) throw new ArgumentException($"machine {topology.Model.Name} cannot spread {cores} cores two per package");
        return result;
    }

    private sealed class Checker(Emulation emulation, int owner) : IShootdownObserver
    {
        private readonly FreedFrames _freed = new(emulation, owner);
        public List<CpuDriver> Cpus { get; set; } = [];

        public void FrameFreed(int core, long frame) => _freed.Freed(frame);

        public void Completed(int core, long instance, int page)
        {
            foreach (var cpu in Cpus)
                SafetyViolationException.Check(!cpu.TlbForCheck(emulation).Holds(page), $"unmap of page {page} returned on core {core} while core {cpu.Core}'s TLB still maps it");
        }

        public void Used(int core, long frame) => _freed.Used(core, frame);
    }
}
