namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// A map or unmap of one page, requested on any core and performed by the page table's owner. <paramref name="Frame"/>
/// is the frame to map; for an unmap, the frame the caller mapped there, which the owner ignores (it unmaps whatever
/// the entry holds; only the seeded <see cref="ShootdownVariant.OwnerUnmapBypassesQueue"/> trusts it). <paramref name="Id"/> names
/// the operation in the request and the reply, and is the instance of the shootdown an unmap starts.
/// </summary>
public readonly record struct PageOperation(long Id, bool Map, int Page, long Frame = -1)
{
    public override string ToString() => Map ? $"map {Id} of page {Page} to frame {Frame}" : $"unmap {Id} of page {Page}";
}
