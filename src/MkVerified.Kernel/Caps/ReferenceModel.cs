namespace MkVerified.Kernel.Caps;

/// <summary>
/// The oracle: one derivation tree operated on sequentially by one core, with per-core slot arrays so the same
/// slot numbers can be compared. Same rules as the distributed protocol, none of its machinery: copy, retype
/// (size rules; no overlap with a live descendant anywhere), delete (the last copy of a Ram object with no
/// descendants returns the RAM once) and revoke (every other copy and every descendant vanishes); plus who owns each
/// object (the installing or retyping core; on delete of the owner's last copy the lowest core still holding one; the
/// revoking core; a retrieving core) and, from that, the exact remote relations each owner must know of.
/// </summary>
public sealed class ReferenceModel
{
    private readonly Capability?[][] _slots;
    private readonly List<CapKey> _returned = [];
    private readonly Dictionary<CapKey, int> _owners = [];

    public ReferenceModel(int cores, int slots)
    {
        _slots = Enumerable.Range(0, cores).Select(_ => new Capability?[slots]).ToArray();
    }

    public IReadOnlyList<CapKey> Returned => _returned;

    public Capability? At(int core, int slot) => _slots[core][slot];

    public IEnumerable<(int Core, int Slot, Capability Cap)> All() =>
        _slots.SelectMany((table, core) => table.Select((c, slot) => (core, slot, c)).Where(x => x.c is not null).Select(x => (x.core, x.slot, x.c!.Value)));

    public IReadOnlyList<int> OccupiedSlots(int core) => Enumerable.Range(0, _slots[core].Length).Where(i => _slots[core][i] is not null).ToList();

    public int Install(int core, Capability cap) => Insert(core, cap);

    public int? OwnerOf(CapKey key) => _owners.TryGetValue(key, out var owner) ? owner : null;

    /// <summary>Cores other than the owner that hold copies of <paramref name="key"/>.</summary>
    public IReadOnlyList<int> RemoteCopyHolders(CapKey key) =>
        All().Where(x => x.Cap.Key == key && x.Core != OwnerOf(key)).Select(x => x.Core).Distinct().Order().ToList();

    /// <summary>Cores other than the owner that hold descendants of <paramref name="key"/>.</summary>
    public IReadOnlyList<int> RemoteDescendantHolders(CapKey key) =>
        All().Where(x => x.Cap.Key.IsDescendantOf(key) && x.Core != OwnerOf(key)).Select(x => x.Core).Distinct().Order().ToList();

    public CapResult Retrieve(int core, int slot)
    {
        if (At(core, slot) is not { } cap) return CapResult.NotFound;
        _owners[cap.Key] = core;
        return CapResult.Ok;
    }

    public CapResult Copy(int core, int slot, int dest, CapRights mask)
    {
        if (At(core, slot) is not { } cap) return CapResult.NotFound;
        return Insert(dest, cap with { Rights = cap.Rights & mask }) < 0 ? CapResult.NoSpace : CapResult.Ok;
    }

    public CapResult Retype(int core, int slot, CapType type, long offset, long size)
    {
        if (At(core, slot) is not { } cap) return CapResult.NotFound;
        if (RetypeRules.Result(cap.Key, type, offset, size) is not { } child) return CapResult.Invalid;
        if (All().Any(x => x.Cap.Key.IsDescendantOf(cap.Key) && x.Cap.Key.Overlaps(child.Base, child.Size))) return CapResult.Overlap;
        if (Insert(core, new Capability(child, CapRights.All)) < 0) return CapResult.NoSpace;
        _owners[child] = core;
        return CapResult.Ok;
    }

    public CapResult Delete(int core, int slot)
    {
        if (At(core, slot) is not { } cap) return CapResult.NotFound;
        _slots[core][slot] = null;
        var key = cap.Key;
        if (key.Type == CapType.Ram && !All().Any(x => x.Cap.Key == key || x.Cap.Key.IsDescendantOf(key))) _returned.Add(key);
        var holders = All().Where(x => x.Cap.Key == key).Select(x => x.Core).ToList();
        if (holders.Count == 0) _owners.Remove(key);
        else if (!holders.Contains(OwnerOf(key) ?? -1)) _owners[key] = holders.Min();
        return CapResult.Ok;
    }

    public CapResult Revoke(int core, int slot)
    {
        if (At(core, slot) is not { } cap) return CapResult.NotFound;
        foreach (var (c, s, other) in All().ToList())
            if ((c, s) != (core, slot) && other.Key.IsRelatedTo(cap.Key)) _slots[c][s] = null;
        foreach (var gone in _owners.Keys.Where(k => k.IsDescendantOf(cap.Key)).ToList()) _owners.Remove(gone);
        _owners[cap.Key] = core;
        return CapResult.Ok;
    }

    private int Insert(int core, Capability cap)
    {
        var slot = Array.FindIndex(_slots[core], s => s is null);
        if (slot >= 0)
        {
            _slots[core][slot] = cap;
            _owners.TryAdd(cap.Key, core); // a new object is owned where it appears; a copy keeps its owner
        }
        return slot;
    }
}
