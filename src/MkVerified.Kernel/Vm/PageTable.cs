using MkVerified.Runtime;

namespace MkVerified.Kernel.Vm;

/// <summary>
/// A domain's page table in modeled memory: one 64-bit entry per virtual page (frame number + valid bit), eight
/// entries per cache line, homed at the owning core's package. Walks and updates are real memory accesses, charged by
/// the coherence model; only the owning domain's protocol changes entries.
/// </summary>
public sealed class PageTable
{
    private const long ValidBit = 1L << 62;

    public PageTable(Emulation emulation, int pages, int homePackage)
    {
        Pages = pages;
        Base = emulation.Memory.Allocate(pages, homePackage);
    }

    public int Pages { get; }
    public long Base { get; }

    public long EntryAddress(int page) => Base + page;

    public static long Encode(long frame) => ValidBit | frame;
    public static bool IsValid(long entry) => (entry & ValidBit) != 0;
    public static long FrameOf(long entry) => entry & ~ValidBit;

    public async CoreTask MapAsync(CoreContext ctx, int page, long frame) => await ctx.Write(EntryAddress(page), Encode(frame));

    public async CoreTask ClearAsync(CoreContext ctx, int page) => await ctx.Write(EntryAddress(page), 0);

    /// <summary>The walk a TLB miss performs: one read of the entry.</summary>
    public async CoreTask<long> WalkAsync(CoreContext ctx, int page) => await ctx.Read(EntryAddress(page));
}
