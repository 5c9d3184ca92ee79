namespace MkVerified.Hardware;

/// <summary>
/// Each core's miss buffers: at most <see cref="CoherenceSpec.OutstandingMisses"/> misses in flight (loads' and
/// stores' alike), and stores that become visible in program order (x86 TSO): a store completes no earlier than the
/// store before it, though their misses overlap.
/// </summary>
internal sealed class MissBuffers
{
    private readonly int _depth;
    private readonly long[] _completions; // per core, the completion cycles of its last _depth misses (a ring)
    private readonly int[] _head;
    private readonly long[] _storesDrained;

    public MissBuffers(int cores, int depth)
    {
        _depth = depth;
        _completions = new long[cores * depth];
        _head = new int[cores];
        _storesDrained = new long[cores];
    }

    /// <summary>The earliest cycle at or after <paramref name="now"/> at which <paramref name="core"/> has a free miss buffer.</summary>
    public long FreeAt(int core, long now) => Math.Max(now, _completions[core * _depth + _head[core]]);

    /// <summary>A miss of <paramref name="core"/> that completes at <paramref name="completion"/> took a buffer until then.</summary>
    public void Hold(int core, long completion)
    {
        _completions[core * _depth + _head[core]] = completion;
        _head[core] = (_head[core] + 1) % _depth;
    }

    /// <summary>The cycle by which every store <paramref name="core"/> issued is visible (a fence waits for it).</summary>
    public long StoresDrained(int core) => _storesDrained[core];

    /// <summary>A store that could complete at <paramref name="completion"/> becomes visible after every earlier store; returns when.</summary>
    public long Retire(int core, long completion)
    {
        var visible = Math.Max(completion, _storesDrained[core]);
        _storesDrained[core] = visible;
        return visible;
    }
}
