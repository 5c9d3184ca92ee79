using MkVerified.Kernel.Vm;
using MkVerified.Protocols.Shootdown;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// Concurrent unmap and map of one page from two non-owner cores. On amd-4x4 with cores 0, 1, 4, 5 (as
/// <see cref="TlbShootdownScenario"/>), core 0's monitor owns the page table and maps page P to frame F; core 4
/// requests an unmap of P while core 1 requests a map of P to frame F'; every core touches P through its TLB meanwhile.
/// Both requests go to the owner, which serializes them. Checks, whenever the owner finishes an operation and at the
/// end: the entry is what the operations in the owner's completion order leave; no TLB holds a translation of P other
/// than the entry's; no core uses a freed frame; both requests return (a deadlock or the step limit is a bug).
/// </summary>
public sealed class TlbMapUnmapScenario : IScenario, IScenarioCoverage
{
    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) => CoverageMachine.From(ShootdownMachines.Infos());

    private const int Page = 5;
    private const long Frame = 42;
    private const long NewFrame = 43;
    private const int Touches = 6;

    public string Name => "tlb-map-unmap";
    public string Description => "cores 4 and 1 concurrently unmap and remap one page; core 0 owns the page table and serializes them";
    public IReadOnlyList<ScenarioVariant> Variants { get; } = ShootdownVariants.MapUnmap.Select(v => new ScenarioVariant(v.Name, v.Breaks)).ToList();
    public string DefaultMachine => "amd-4x4";
    public int DefaultCores => 4;

    // Bound 2 completes in about 7 minutes here (spec/exploration.md, "Default bound per scenario").
    public int? DefaultPreemptionBound => 2;

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        if (cores != 4) throw new ArgumentException("scenario tlb-map-unmap runs on 4 cores");
        var v = ShootdownVariants.Parse(variant);
        var topology = emulation.Topology;
        var members = TlbShootdownScenario.Spread(topology, cores);
        var (owner, mapper, unmapper) = (members[0], members[1], members[2]);
        var costs = topology.Model.Costs;
        var table = new PageTable(emulation, 16, topology.PackageOf(owner));
        var frames = emulation.Memory.Allocate(64 * SharedMemory.WordsPerLine, topology.PackageOf(owner));
        var network = new ShootdownNetwork(emulation, ShootdownProtocol.NumaMulticast, owner, members.Skip(1).ToList(), v);
        network.AddOwnerChannels([mapper, unmapper]);
        var ghost = new Ghost(emulation, owner, table, Page);
        var services = members.ToDictionary(c => c, c => new ShootdownService(c, network, new CpuDriver(c, new Tlb(8), costs.TlbInvalidate), table, v, costs.Trap, ghost));
        ghost.Cpus = services.Values.Select(s => s.Cpu).ToList();

        async CoreTask TouchAsync(CoreContext ctx, ShootdownService service, int times)
        {
            for (var i = 0; i < times; i++)
            {
                var frame = await service.Cpu.TranslateAsync(ctx, table, Page);
                if (frame >= 0)
                {
                    ghost.Used(ctx.Id, frame);
                    await ctx.Read(frames + frame * SharedMemory.WordsPerLine);
                }
                await service.ServeOnceAsync(ctx);
            }
        }

        var returned = 0;
        emulation.Start(owner, async ctx =>
        {
            await table.MapAsync(ctx, Page, Frame);
            ghost.Expect(PageTable.Encode(Frame));
            await services[owner].Cpu.TranslateAsync(ctx, table, Page);
            await services[owner].ServeAsync(ctx);
        });
        foreach (var (core, operation) in new[] { (unmapper, new PageOperation(1, Map: false, Page)), (mapper, new PageOperation(2, Map: true, Page, NewFrame)) })
        {
            var service = services[core];
            emulation.Start(core, async ctx =>
            {
                await TouchAsync(ctx, service, 2);
                await service.RequestAsync(ctx, operation);
                returned++;
                await TouchAsync(ctx, service, Touches);
                await service.ServeAsync(ctx);
            });
        }
        emulation.Start(members[3], async ctx =>
        {
            await TouchAsync(ctx, services[members[3]], Touches * 2);
            await services[members[3]].ServeAsync(ctx);
        });
        var outcome = emulation.Run(maxSteps: 200_000);
        if (outcome.Ended)
        {
            SafetyViolationException.Check(returned == 2, $"only {returned} of the 2 map/unmap requests returned");
            ghost.Check("at the end");
        }
        return outcome;
    }

    /// <summary>The ghost state: the entry the owner's completed operations leave, and the frames freed.</summary>
    private sealed class Ghost(Emulation emulation, int owner, PageTable table, int page) : IShootdownObserver
    {
        private readonly FreedFrames _freed = new(emulation, owner);
        private long _expected;
        public List<CpuDriver> Cpus { get; set; } = [];

        public void Expect(long entry) => _expected = entry;

        public void FrameFreed(int core, long frame) => _freed.Freed(frame);

        public void Completed(int core, long instance, int page) { }

        public void OperationDone(int owner, PageOperation operation, bool applied)
        {
            if (applied) _expected = operation.Map ? PageTable.Encode(operation.Frame) : 0;
            Check($"after {operation} {(applied ? "was applied" : "was refused")} on core {owner}");
        }

        public void Used(int core, long frame) => _freed.Used(core, frame);

        public void Check(string when)
        {
            var entry = emulation.Memory.Peek(table.EntryAddress(page));
            SafetyViolationException.Check(entry == _expected, $"{when}, the entry of page {page} is {Describe(entry)}, not {Describe(_expected)}");
            foreach (var cpu in Cpus)
            {
                if (cpu.TlbForCheck(emulation).TryTranslate(page, out var frame))
                    SafetyViolationException.Check(entry == PageTable.Encode(frame), $"{when}, core {cpu.Core}'s TLB maps page {page} to frame {frame} while the entry is {Describe(entry)}");
            }
        }

        private static string Describe(long entry) => PageTable.IsValid(entry) ? $"frame {PageTable.FrameOf(entry)}" : "unmapped";
    }
}
