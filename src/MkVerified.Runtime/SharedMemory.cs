using MkVerified.Hardware;

namespace MkVerified.Runtime;

/// <summary>
/// Modeled shared memory: 64-bit words grouped in 64-byte lines (8 words). Values live here; the cost of
/// every access comes from the coherence directory. Cores that wait for a line are woken by a write to it.
/// Only the runtime performs costed accesses (through <see cref="CoreContext"/>); <see cref="Peek"/> is for checkers.
/// </summary>
public sealed class SharedMemory
{
    public const int WordsPerLine = 8;
    private long[] _words = new long[512];
    private List<int>?[] _waiters = new List<int>?[64];
    private long[] _lastWriteStamp = new long[64];

    public SharedMemory(Topology topology)
    {
        Directory = new CoherenceDirectory(topology);
        HitCost = topology.Model.Costs.CacheHit;
    }

    /// <summary>
    /// True when a core's access and its instructions up to its next access run as one indivisible step, so checker
    /// (ghost) state updated right after a write is seen together with it (the emulator). False when the words live in
    /// real memory accessed by host threads: checkers then see only what the memory holds.
    /// </summary>
    public bool StepsAreIndivisible { get; internal set; } = true;

    /// <summary>Cycles for each further word of a burst to a line already in the cache.</summary>
    public int HitCost { get; }

    public CoherenceDirectory Directory { get; }
    /// <summary>Coherence transactions performed (a word access or a burst to one line counts once).</summary>
    public long Accesses { get; internal set; }

    /// <summary>Allocates whole lines for <paramref name="words"/> words homed in <paramref name="homePackage"/>; returns the first word's address.</summary>
    public long Allocate(int words, int homePackage)
    {
        var lines = Math.Max(1, (words + WordsPerLine - 1) / WordsPerLine);
        var first = Directory.AddLines(lines, homePackage);
        var neededWords = (long)Directory.LineCount * WordsPerLine;
        if (neededWords > _words.Length) Array.Resize(ref _words, (int)Math.Max(neededWords, _words.Length * 2L));
        if (Directory.LineCount > _waiters.Length) Array.Resize(ref _waiters, Math.Max(Directory.LineCount, _waiters.Length * 2));
        if (Directory.LineCount > _lastWriteStamp.Length) Array.Resize(ref _lastWriteStamp, Math.Max(Directory.LineCount, _lastWriteStamp.Length * 2));
        return (long)first * WordsPerLine;
    }

    public static int LineOf(long address) => (int)(address >> 3);

    /// <summary>The value at <paramref name="address"/> without cost or scheduling: for invariant checkers and tests only.</summary>
    public long Peek(long address) => Live is { } live ? Volatile.Read(ref live.Block[live.Offset + address]) : _words[address];

    /// <summary>During a run on host threads, the real memory the cores use (checkers that peek mid-run read it); null otherwise.</summary>
    internal Host.HostMemory? Live { get; set; }

    internal long Load(long address) => _words[address];

    internal void Store(long address, long value) => _words[address] = value;

    /// <summary>The words of every allocated line, for the threads backend to copy into real memory and back.</summary>
    internal Span<long> AllocatedWords => _words.AsSpan(0, Directory.LineCount * WordsPerLine);

    /// <summary>Counts every write: a poller notes it before a polling pass and waits only if no polled line was written since.</summary>
    public long WriteStamp { get; private set; }

    internal void Stamp(int line) => _lastWriteStamp[line] = ++WriteStamp;

    internal bool WrittenSince(int line, long stamp) => _lastWriteStamp[line] > stamp;

    internal List<int>? WaitersOf(int line) => _waiters[line];

    internal void AddWaiter(int line, int core) => (_waiters[line] ??= []).Add(core);

    internal void RemoveWaiter(int line, int core) => _waiters[line]?.Remove(core);
}
