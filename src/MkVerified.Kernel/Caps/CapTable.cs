using MkVerified.Runtime;

namespace MkVerified.Kernel.Caps;

/// <summary>
/// One core's CNode: numbered slots holding capabilities, plus the per-object state of what the core holds. The CPU
/// driver's local operations (insert, remove, relation queries) are plain methods; each slot is one line of modeled
/// memory homed at the core's package so the callers can charge their accesses (see <see cref="SlotAddress"/>).
/// </summary>
public sealed class CapTable
{
    private readonly Capability?[] _slots;
    private readonly Dictionary<CapKey, KeyState> _states = [];
    private long _memory = -1;

    public CapTable(int core, int slots)
    {
        Core = core;
        _slots = new Capability?[slots];
    }

    public int Core { get; }
    public int Capacity => _slots.Length;

    /// <summary>Places the slots in <paramref name="emulation"/>'s memory (once per emulation the table is used in).</summary>
    public void Bind(Emulation emulation) =>
        _memory = emulation.Memory.Allocate(_slots.Length * SharedMemory.WordsPerLine, emulation.Topology.PackageOf(Core));

    public long SlotAddress(int slot) => _memory >= 0 ? _memory + (long)slot * SharedMemory.WordsPerLine : throw new InvalidOperationException("table not bound to an emulation");

    public Capability? this[int slot] => slot >= 0 && slot < _slots.Length ? _slots[slot] : null;

    public IEnumerable<(int Slot, Capability Cap)> Occupied()
    {
        for (var i = 0; i < _slots.Length; i++)
            if (_slots[i] is { } c) yield return (i, c);
    }

    public int OccupiedCount => _slots.Count(s => s is not null);

    public int FreeSlot() => Array.FindIndex(_slots, s => s is null);

    public KeyState? State(CapKey key) => _states.GetValueOrDefault(key);

    public IEnumerable<(CapKey Key, KeyState State)> States => _states.Select(kv => (kv.Key, kv.Value));

    /// <summary>Inserts into the first free slot (the state is created with <paramref name="owner"/> if new); returns the slot or -1.</summary>
    public int Insert(Capability cap, int owner)
    {
        var slot = FreeSlot();
        if (slot < 0) return -1;
        _slots[slot] = cap;
        if (!_states.ContainsKey(cap.Key)) _states[cap.Key] = new KeyState(owner);
        return slot;
    }

    /// <summary>Empties a slot; drops the object's state when it was the core's last copy. Returns whether it was the last.</summary>
    public bool Remove(int slot)
    {
        var cap = _slots[slot] ?? throw new InvalidOperationException($"core {Core}: slot {slot} is empty");
        _slots[slot] = null;
        if (HasCopy(cap.Key)) return false;
        _states.Remove(cap.Key);
        return true;
    }

    public bool HasCopy(CapKey key) => _slots.Any(s => s is { } c && c.Key == key);

    public int CopyCount(CapKey key) => _slots.Count(s => s is { } c && c.Key == key);

    public bool HasDescendant(CapKey key, long b, long s) => _slots.Any(x => x is { } c && c.Key.IsDescendantOf(key) && c.Key.Overlaps(b, s));

    /// <summary>Slots holding copies or descendants of <paramref name="key"/>: what a revoke of it removes here.</summary>
    public IReadOnlyList<int> RelatedSlots(CapKey key) =>
        Enumerable.Range(0, _slots.Length).Where(i => _slots[i] is { } c && c.Key.IsRelatedTo(key)).ToList();

    /// <summary>Objects held here that are ancestors of <paramref name="key"/>.</summary>
    public IEnumerable<CapKey> AncestorsOf(CapKey key) => _states.Keys.Where(key.IsDescendantOf).ToList();
}
