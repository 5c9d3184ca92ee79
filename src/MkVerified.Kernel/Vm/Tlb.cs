namespace MkVerified.Kernel.Vm;

/// <summary>
/// One core's TLB: a small cache of page -> frame translations, private to the core (never shared), bounded in size
/// with FIFO replacement. Lookups are free (in hardware, in parallel with the access); invalidation costs what the
/// machine model says and is charged by the CPU driver.
/// </summary>
public sealed class Tlb(int capacity)
{
    private readonly Dictionary<int, long> _entries = [];
    private readonly Queue<int> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    public int Count => _entries.Count;

    public bool TryTranslate(int page, out long frame) => _entries.TryGetValue(page, out frame);

    public bool Holds(int page) => _entries.ContainsKey(page);

    public void Fill(int page, long frame)
    {
        if (_entries.ContainsKey(page))
        {
            _entries[page] = frame;
            return;
        }
        while (_entries.Count >= Capacity)
        {
            var victim = _order.Dequeue();
            _entries.Remove(victim);
        }
        _entries[page] = frame;
        _order.Enqueue(page);
    }

    public bool Invalidate(int page)
    {
        if (!_entries.Remove(page)) return false;
        var kept = _order.Where(p => p != page).ToList();
        _order.Clear();
        foreach (var p in kept) _order.Enqueue(p);
        return true;
    }
}
