using MkVerified.Runtime;

namespace MkVerified.Kernel.Vm;

/// <summary>
/// The per-core CPU driver's virtual-memory part: translation through the core's own TLB, filled on a miss by a walk
/// of the page table (a charged memory access), and local invalidation at the machine model's cost.
/// </summary>
public sealed class CpuDriver(int core, Tlb tlb, int tlbInvalidateCycles)
{
    public int Core { get; } = core;
    public Tlb Tlb { get; } = tlb;

    /// <summary>Translates <paramref name="page"/>; returns the frame, or -1 on a page fault (no valid entry).</summary>
    public async CoreTask<long> TranslateAsync(CoreContext ctx, PageTable table, int page)
    {
        if (Tlb.TryTranslate(page, out var frame)) return frame;
        var entry = await table.WalkAsync(ctx, page);
        if (!PageTable.IsValid(entry)) return -1;
        frame = PageTable.FrameOf(entry);
        Tlb.Fill(page, frame);
        ctx.ChangedPrivateState();
        return frame;
    }

    /// <summary>
    /// The TLB as a check sees it from whatever core runs the check: the look is shown to the exploration's step
    /// observer as a read of this core's private state, so partial-order reduction orders it against fills and invalidations.
    /// </summary>
    public Tlb TlbForCheck(Emulation emulation)
    {
        emulation.CheckReadsPrivateState(Core);
        return Tlb;
    }

    /// <summary>Invalidates the local TLB entry for <paramref name="page"/> (the invlpg of x86), at the model's cost.</summary>
    public async CoreTask InvalidateAsync(CoreContext ctx, int page)
    {
        ctx.Compute(tlbInvalidateCycles);
        await ctx.Yield(); // the entry disappears when the invalidation completes, in time order with other cores
        Tlb.Invalidate(page);
        ctx.ChangedPrivateState();
        if (ctx.Recording) ctx.Record("invalidate", -1, $"page {page}");
    }
}
