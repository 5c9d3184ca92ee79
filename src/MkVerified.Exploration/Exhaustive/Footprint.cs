namespace MkVerified.Exploration.Exhaustive;

/// <summary>
/// What one scheduling step touched: the cores that ran in it (the chosen core, plus any core that then ran alone
/// until the next choice), the lines read and written (a wait's check of its lines is a read), whether it noted the
/// global write stamp, and interrupts (pseudo-lines). Recorded while the step runs, so it is exact for that step.
/// </summary>
public sealed class Footprint
{
    private readonly List<int> _reads = [];
    private readonly List<int> _writes = [];
    private List<int>? _waitLines;
    private ulong _cores; // bit (id mod 64): a collision only makes two steps look dependent (safe)
    private bool _readsStamp;

    public IReadOnlyList<int> Reads => _reads;
    public IReadOnlyList<int> Writes => _writes;
    public IReadOnlyList<int> WaitLines => (IReadOnlyList<int>?)_waitLines ?? [];
    public ulong Cores => _cores;
    public bool ReadsStamp => _readsStamp;

    public void Ran(int core) => _cores |= 1UL << (core & 63);

    public void Access(int line, bool write)
    {
        var list = write ? _writes : _reads;
        if (!list.Contains(line)) list.Add(line);
    }

    /// <summary>A wait's check of a line: a read, remembered as a wait line (see <see cref="Races"/> on write stamps).</summary>
    public void WaitCheck(int line)
    {
        Access(line, false);
        _waitLines ??= [];
        if (!_waitLines.Contains(line)) _waitLines.Add(line);
    }

    public void ReadStamp() => _readsStamp = true;

    /// <summary>
    /// Steps commute when they run disjoint cores and neither writes a line the other touches (two reads of one line
    /// commute); a step that noted the write stamp depends on every step that writes.
    /// </summary>
    public static bool Independent(Footprint a, Footprint b)
    {
        if ((a._cores & b._cores) != 0) return false;
        if ((a._readsStamp && b._writes.Count > 0) || (b._readsStamp && a._writes.Count > 0)) return false;
        foreach (var w in a._writes)
            if (b._writes.Contains(w) || b._reads.Contains(w)) return false;
        foreach (var w in b._writes)
            if (a._reads.Contains(w)) return false;
        return true;
    }
}
