using MkVerified.Kernel.Vm;
using MkVerified.Protocols.Shootdown;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// Three concurrent unmaps of one page, one of them the page-table owner's own. On amd-4x4 with cores 0, 1, 4, 5 (as
/// <see cref="TlbShootdownScenario"/>), core 0's monitor owns the page table and maps page P to frame F; cores 1 and 4
/// request an unmap of P while core 0's application unmaps P itself, between serving its monitor's requests; core 5
/// keeps touching P. Checks (a ledger of frees and each caller's outcome): the frame is freed at most once, and exactly
/// once by the end; no core uses a freed frame; whenever an unmap returns, applied or "already unmapped", no TLB maps
/// P; every unmap returns, exactly one of them applied (a deadlock or the step limit is a bug).
/// </summary>
public sealed class TlbDoubleUnmapScenario : IScenario, IScenarioCoverage
{
    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) => CoverageMachine.From(ShootdownMachines.Infos());

    private const int Page = 5;
    private const long Frame = 42;
    private const int Touches = 4;

    public string Name => "tlb-double-unmap";
    public string Description => "cores 1 and 4 and the page table's owner, core 0, unmap one page at once; exactly one frees the frame";
    public IReadOnlyList<ScenarioVariant> Variants { get; } = ShootdownVariants.DoubleUnmap.Select(v => new ScenarioVariant(v.Name, v.Breaks)).ToList();
    public string DefaultMachine => "amd-4x4";
    public int DefaultCores => 4;

    // Bound 2 completes in 81 s here; bound 3 did not in 10 minutes (spec/exploration.md, "Default bound per scenario").
    public int? DefaultPreemptionBound => 2;

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        if (cores != 4) throw new ArgumentException("scenario tlb-double-unmap runs on 4 cores");
        var v = ShootdownVariants.Parse(variant);
        var topology = emulation.Topology;
        var members = TlbShootdownScenario.Spread(topology, cores);
        var (owner, toucher) = (members[0], members[3]);
        var costs = topology.Model.Costs;
        var table = new PageTable(emulation, 16, topology.PackageOf(owner));
        var frames = emulation.Memory.Allocate(64 * SharedMemory.WordsPerLine, topology.PackageOf(owner));
        var network = new ShootdownNetwork(emulation, ShootdownProtocol.NumaMulticast, owner, members.Skip(1).ToList(), v);
        network.AddOwnerChannels([members[1], members[2]]);
        var ledger = new Ledger(emulation, owner, Page);
        var services = members.ToDictionary(c => c, c => new ShootdownService(c, network, new CpuDriver(c, new Tlb(8), costs.TlbInvalidate), table, v, costs.Trap, ledger));
        ledger.Cpus = services.Values.Select(s => s.Cpu).ToList();

        async CoreTask TouchAsync(CoreContext ctx, ShootdownService service, int times)
        {
            for (var i = 0; i < times; i++)
            {
                var frame = await service.Cpu.TranslateAsync(ctx, table, Page);
                if (frame >= 0)
                {
                    ledger.Used(ctx.Id, frame);
                    await ctx.Read(frames + frame * SharedMemory.WordsPerLine);
                }
                await service.ServeOnceAsync(ctx); // the monitor serves between the application's steps
            }
        }

        // Operation ids double as shootdown instances: one per unmapping core.
        emulation.Start(owner, async ctx =>
        {
            var service = services[owner];
            await table.MapAsync(ctx, Page, Frame);
            await service.Cpu.TranslateAsync(ctx, table, Page);
            await TouchAsync(ctx, service, 2);
            ledger.Returned(owner, await service.UnmapAsync(ctx, 3, Page, Frame));
            await service.ServeAsync(ctx);
        });
        foreach (var (core, id) in new[] { (members[1], 1L), (members[2], 2L) })
        {
            var service = services[core];
            emulation.Start(core, async ctx =>
            {
                await TouchAsync(ctx, service, 2);
                ledger.Returned(core, await service.UnmapAsync(ctx, id, Page, Frame));
                await TouchAsync(ctx, service, 2);
                await service.ServeAsync(ctx);
            });
        }
        emulation.Start(toucher, async ctx =>
        {
            await TouchAsync(ctx, services[toucher], Touches * 2);
            await services[toucher].ServeAsync(ctx);
        });
        var outcome = emulation.Run(maxSteps: 200_000);
        if (outcome.Ended) ledger.CheckEnd(Frame, unmaps: 3);
        return outcome;
    }

    /// <summary>Checker-only state: how often each frame was freed, and what each unmap's caller was told.</summary>
    private sealed class Ledger(Emulation emulation, int owner, int page) : IShootdownObserver
    {
        private readonly FreedFrames _frees = new(emulation, owner);
        private readonly List<(int Core, bool Applied)> _outcomes = [];
        public List<CpuDriver> Cpus { get; set; } = [];

        public void FrameFreed(int core, long frame)
        {
            var times = _frees.Freed(frame);
            SafetyViolationException.Check(times == 1, $"frame {frame} freed {times} times (the last by core {core})");
        }

        public void Completed(int core, long instance, int page) { }

        public void Used(int core, long frame) => _frees.Used(core, frame);

        /// <summary>An unmap returned to its caller on <paramref name="core"/>: either way the page is unmapped in every TLB.</summary>
        public void Returned(int core, bool applied)
        {
            _outcomes.Add((core, applied));
            foreach (var cpu in Cpus)
            {
                if (cpu.TlbForCheck(emulation).TryTranslate(page, out var frame))
                    throw new SafetyViolationException($"core {core}'s unmap of page {page} returned {(applied ? "applied" : "already unmapped")} while core {cpu.Core}'s TLB still maps it to frame {frame}");
            }
        }

        public void CheckEnd(long frame, int unmaps)
        {
            SafetyViolationException.Check(_outcomes.Count == unmaps, $"only {_outcomes.Count} of the {unmaps} unmaps returned");
            var applied = _outcomes.Where(o => o.Applied).Select(o => $"core {o.Core}").ToList();
            SafetyViolationException.Check(applied.Count == 1, $"{applied.Count} unmaps of page {page} were applied ({string.Join(", ", applied)}), not exactly one");
            SafetyViolationException.Check(_frees.TimesFreed(frame) == 1, $"frame {frame} was freed {_frees.TimesFreed(frame)} times, not once");
        }
    }
}
