using MkVerified.Kernel.Vm;
using MkVerified.Runtime;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// The baseline of Linux and Windows: the initiator sends an IPI to each target in turn; each target traps,
/// invalidates its TLB entry and increments a shared counter; the initiator spins on the counter until every
/// target has answered. Costs: IPI send and trap from the machine model, the counter's line from the coherence model,
/// per-IPI handler work from the profile.
/// </summary>
public sealed class IpiShootdown
{
    private readonly IpiProfile _profile;
    private readonly int _trapCycles;
    private readonly long _counter;

    public IpiShootdown(Emulation emulation, IpiProfile profile, int initiator)
    {
        _profile = profile;
        _trapCycles = emulation.Topology.Model.Costs.Trap;
        _counter = emulation.Memory.Allocate(1, emulation.Topology.PackageOf(initiator));
    }

    /// <summary>The initiator: clear the entry (unmap), invalidate locally, interrupt every target, spin on the counter.</summary>
    public async CoreTask ShootdownAsync(CoreContext ctx, CpuDriver cpu, PageTable table, int page, IReadOnlyList<int> targets, bool unmap)
    {
        if (unmap) await table.ClearAsync(ctx, page);
        var start = await ctx.Read(_counter);
        await cpu.InvalidateAsync(ctx, page);
        foreach (var t in targets)
        {
            ctx.Compute(_profile.InitiatorPerTargetCycles);
            ctx.SendInterrupt(t);
        }
        while (await ctx.Read(_counter) - start < targets.Count)
            await ctx.WaitForWrite(SharedMemory.LineOf(_counter), idle: false, "IPI acknowledgements");
    }

    /// <summary>A user-level unmap in a monolithic kernel: one system call (the model's <c>trap</c>), then the IPI shootdown.</summary>
    public async CoreTask UnmapAsync(CoreContext ctx, CpuDriver cpu, PageTable table, int page, IReadOnlyList<int> targets)
    {
        ctx.Compute(_trapCycles);
        await ShootdownAsync(ctx, cpu, table, page, targets, unmap: true);
    }

    /// <summary>A target core: take each interrupt, trap, run the handler (invalidate, count), return.</summary>
    public async CoreTask ServeAsync(CoreContext ctx, CpuDriver cpu, int page)
    {
        while (true)
        {
            await ctx.WaitForInterrupt(idle: true);
            ctx.Compute(_trapCycles + _profile.HandlerCycles);
            await cpu.InvalidateAsync(ctx, page);
            await ctx.AtomicAdd(_counter, 1);
        }
    }
}
