namespace MkVerified.Hardware;

/// <summary>
/// A MOESI-like directory with one entry per cache line: which cores hold a copy (sharers) and which one holds it
/// dirty (owner, -1 when memory is up to date). It decides what a miss must do (where the data comes from, which
/// copies it invalidates); <see cref="CoherenceTiming"/> times it on the machine's interconnect, and each core's
/// <see cref="MissBuffers"/> bound its misses in flight and keep its stores in order. Writes invalidate every other
/// copy. No eviction: caches are modeled as large enough.
/// </summary>
public sealed class CoherenceDirectory
{
    private readonly Topology _topology;
    private readonly CoherenceTiming _timing;
    private readonly MissBuffers _buffers;
    private readonly int _hit;
    private readonly int _wordsPerLine; // ulong words of the sharer bitset per line
    private int[] _owner = [];
    private int[] _home = [];
    private long[] _lineFree = [];
    private ulong[] _sharers = [];
    private ulong[] _stale = []; // per line, cores whose copy another core's write invalidated since they last fetched it
    private int[] _holders = new int[64];

    public CoherenceDirectory(Topology topology)
    {
        _topology = topology;
        _timing = new CoherenceTiming(topology);
        _buffers = new MissBuffers(topology.CoreCount, topology.Model.Coherence.OutstandingMisses);
        _hit = topology.Model.Costs.CacheHit;
        _wordsPerLine = (topology.CoreCount + 63) / 64;
    }

    public int LineCount { get; private set; }
    public long Hits { get; private set; }
    public long Misses { get; private set; }

    /// <summary>The interconnect the misses travel on.</summary>
    public InterconnectFabric Fabric => _timing.Fabric;

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
            Array.Resize(ref _lineFree, capacity);
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
    public int HomeOf(int line) => _home[line];

    /// <summary>
    /// True when <paramref name="core"/> held a copy of <paramref name="line"/> that another core's write invalidated,
    /// and it has not fetched the line since: the line changed after this core last looked at it.
    /// </summary>
    public bool HasStaleCopy(int core, int line) => (_stale[line * _wordsPerLine + (core >> 6)] & (1UL << (core & 63))) != 0;

    /// <summary>When the line's home accepts the next request to it (after the last transaction's done message).</summary>
    public long BusyUntil(int line) => _lineFree[line];

    /// <summary>The cycle by which every store <paramref name="core"/> issued is visible to other cores.</summary>
    public long StoresDrained(int core) => _buffers.StoresDrained(core);

    public int SharerCount(int line)
    {
        var n = 0;
        var b = line * _wordsPerLine;
        for (var w = 0; w < _wordsPerLine; w++) n += System.Numerics.BitOperations.PopCount(_sharers[b + w]);
        return n;
    }

    /// <summary>A load by <paramref name="core"/> issued at <paramref name="now"/>; returns its completion cycle (the core waits for it).</summary>
    public long Read(int core, int line, long now)
    {
        if (Holds(core, line))
        {
            Hits++;
            return now + _hit;
        }
        Misses++;
        var start = _buffers.FreeAt(core, now);
        var owner = _owner[line];
        _holders[0] = owner;
        var end = _timing.Miss(core, _home[line], owner >= 0 ? owner : -1, _holders.AsSpan(0, owner >= 0 ? 1 : 0), now, start, ref _lineFree[line]);
        _buffers.Hold(core, end);
        var word = line * _wordsPerLine + (core >> 6);
        _sharers[word] |= 1UL << (core & 63);
        _stale[word] &= ~(1UL << (core & 63));
        return end;
    }

    /// <summary>
    /// An exclusive access (an atomic read-modify-write, which on x86 also drains the core's stores first) issued at
    /// <paramref name="now"/>; returns its completion cycle (the core waits for it).
    /// </summary>
    public long Write(int core, int line, long now)
    {
        var start = Math.Max(now, _buffers.StoresDrained(core));
        var end = Exclusive(core, line, now, start, _buffers.FreeAt(core, start));
        return _buffers.Retire(core, end);
    }

    /// <summary>
    /// A store issued at <paramref name="now"/>: it enters the core's store buffer and the core goes on (it stalls only
    /// while every buffer entry holds an unfinished miss). Its request for the line starts as soon as it has a buffer,
    /// while the stores before it may still be waiting (a non-blocking cache prefetches ownership for buffered stores);
    /// it becomes visible only after every store before it (TSO). <paramref name="visibleAt"/>: when other cores can
    /// see it. Returns when the core can go on.
    /// </summary>
    public long Store(int core, int line, long now, out long visibleAt)
    {
        var entry = _buffers.FreeAt(core, now);
        var end = Exclusive(core, line, now, entry, entry);
        visibleAt = _buffers.Retire(core, end);
        return entry + _hit;
    }

    /// <summary>Gains the only copy of the line: a hit at <paramref name="now"/>, or a miss whose request starts at <paramref name="missStart"/> (issued by a core whose clock is <paramref name="issuedAt"/>).</summary>
    private long Exclusive(int core, int line, long issuedAt, long now, long missStart)
    {
        var b = line * _wordsPerLine;
        var owner = _owner[line];
        if (owner == core && OnlyHolder(core, b))
        {
            Hits++;
            return now + _hit;
        }
        Misses++;
        var count = 0;
        for (var w = 0; w < _wordsPerLine; w++)
        {
            var bits = _sharers[b + w];
            while (bits != 0)
            {
                var holder = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (holder == core) continue;
                if (count == _holders.Length) Array.Resize(ref _holders, count * 2);
                _holders[count++] = holder;
            }
        }
        var source = Holds(core, line) ? -2 : owner >= 0 ? owner : -1;
        var end = _timing.Miss(core, _home[line], source, _holders.AsSpan(0, count), issuedAt, missStart, ref _lineFree[line]);
        _buffers.Hold(core, end);
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
