namespace MkVerified.Hardware;

/// <summary>
/// A MOESI-like directory with one entry per cache line: which cores hold a copy (sharers), which one
/// holds it dirty (owner, -1 when memory is up to date), and until when the line is busy moving.
/// Each access returns the cycle at which it completes, so costs emerge from where the line is:
/// a hit in the core's own cache, a transfer from the owner's cache (by path class), or memory.
/// Writes invalidate every other copy; transfers of one line are serialized (a line moves one at a time),
/// which is what makes contended lines expensive. No eviction: caches are modeled as large enough.
/// </summary>
public sealed class CoherenceDirectory
{
    private readonly Topology _topology;
    private readonly int _hit;
    private readonly int _wordsPerLine; // ulong words of the sharer bitset per line
    private int[] _owner = [];
    private int[] _home = [];
    private long[] _busyUntil = [];
    private ulong[] _sharers = [];
    private ulong[] _stale = []; // per line, cores whose copy another core's write invalidated since they last fetched it

    public CoherenceDirectory(Topology topology)
    {
        _topology = topology;
        _hit = topology.Model.Costs.CacheHit;
        _wordsPerLine = (topology.CoreCount + 63) / 64;
    }

    public int LineCount { get; private set; }
    public long Hits { get; private set; }
    public long Misses { get; private set; }

    /// <summary>Adds <paramref name="count"/> lines whose memory lives in <paramref name="homePackage"/>; returns the first line's index.</summary>
    public int AddLines(int count, int homePackage)
    {
        var first = LineCount;
        var needed = first + count;
        if (needed > _owner.Length)
        {
            var capacity = Math.Max(needed, Math.Max(64, _owner.Length * 2));
            Array.Resize(ref _owner, capacity);
            Array.Resize(ref _home, capacity);
            Array.Resize(ref _busyUntil, capacity);
            Array.Resize(ref _sharers, capacity * _wordsPerLine);
            Array.Resize(ref _stale, capacity * _wordsPerLine);
        }
        for (var l = first; l < needed; l++)
        {
            _owner[l] = -1;
            _home[l] = homePackage;
        }
        LineCount = needed;
        return first;
    }

    public bool Holds(int core, int line) => (_sharers[line * _wordsPerLine + (core >> 6)] & (1UL << (core & 63))) != 0;
    public int OwnerOf(int line) => _owner[line];

    /// <summary>
    /// True when <paramref name="core"/> held a copy of <paramref name="line"/> that another core's write invalidated,
    /// and it has not fetched the line since: the line changed after this core last looked at it.
    /// </summary>
    public bool HasStaleCopy(int core, int line) => (_stale[line * _wordsPerLine + (core >> 6)] & (1UL << (core & 63))) != 0;
    public long BusyUntil(int line) => _busyUntil[line];

    public int SharerCount(int line)
    {
        var n = 0;
        var b = line * _wordsPerLine;
        for (var w = 0; w < _wordsPerLine; w++) n += System.Numerics.BitOperations.PopCount(_sharers[b + w]);
        return n;
    }

    /// <summary>A read by <paramref name="core"/> starting at <paramref name="now"/>; returns its completion cycle.</summary>
    public long Read(int core, int line, long now)
    {
        if (Holds(core, line))
        {
            Hits++;
            return now + _hit;
        }
        Misses++;
        var owner = _owner[line];
        var cost = owner >= 0 ? _topology.TransferCost(owner, core) : _topology.MemoryCost(core, _home[line]);
        var start = Math.Max(now, _busyUntil[line]);
        var end = start + cost;
        _busyUntil[line] = end;
        var word = line * _wordsPerLine + (core >> 6);
        _sharers[word] |= 1UL << (core & 63);
        _stale[word] &= ~(1UL << (core & 63));
        return end;
    }

    /// <summary>A write by <paramref name="core"/> starting at <paramref name="now"/>; invalidates all other copies; returns its completion cycle.</summary>
    public long Write(int core, int line, long now)
    {
        var b = line * _wordsPerLine;
        var owner = _owner[line];
        if (owner == core && OnlyHolder(core, b))
        {
            Hits++;
            return now + _hit;
        }
        Misses++;
        // Fetch and invalidations go out in parallel: the farthest holder decides the cost.
        var cost = 0;
        var anyHolder = false;
        for (var w = 0; w < _wordsPerLine; w++)
        {
            var bits = _sharers[b + w];
            while (bits != 0)
            {
                var holder = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (holder == core) continue;
                anyHolder = true;
                var c = _topology.TransferCost(holder, core);
                if (c > cost) cost = c;
            }
        }
        if (!anyHolder) cost = Holds(core, line) ? _hit : _topology.MemoryCost(core, _home[line]);
        var start = Math.Max(now, _busyUntil[line]);
        var end = start + cost;
        _busyUntil[line] = end;
        for (var w = 0; w < _wordsPerLine; w++)
        {
            _stale[b + w] |= _sharers[b + w];
            _sharers[b + w] = 0;
        }
        _sharers[b + (core >> 6)] = 1UL << (core & 63);
        _stale[b + (core >> 6)] &= ~(1UL << (core & 63));
        _owner[line] = core;
        return end;
    }

    private bool OnlyHolder(int core, int b)
    {
        for (var w = 0; w < _wordsPerLine; w++)
        {
            var expected = w == core >> 6 ? 1UL << (core & 63) : 0UL;
            if (_sharers[b + w] != expected) return false;
        }
        return true;
    }
}
