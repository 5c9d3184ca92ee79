namespace MkVerified.Hardware;

/// <summary>
/// The busy intervals of many shared resources (link directions, coherence engines), a few recent ones each. A message
/// takes the earliest gap at or after its arrival that is long enough for its occupancy, so a message that arrives
/// early is not queued behind one that was booked earlier for a later time (transactions book their later messages
/// ahead). Only the latest <see cref="Depth"/> intervals of a resource are remembered; the earliest is forgotten first.
/// </summary>
internal sealed class ResourceCalendar
{
    private const int Depth = 32;
    private readonly long[] _start;
    private readonly long[] _end;
    private readonly int[] _count;

    public ResourceCalendar(int resources)
    {
        _start = new long[resources * Depth];
        _end = new long[resources * Depth];
        _count = new int[resources];
    }

    /// <summary>Books <paramref name="occupancy"/> cycles of <paramref name="resource"/> from the earliest free cycle at or after <paramref name="arrival"/>; returns that cycle.</summary>
    public long Reserve(int resource, long arrival, int occupancy)
    {
        var b = resource * Depth;
        var n = _count[resource];
        var s = arrival;
        var i = 0;
        for (; i < n; i++)
        {
            if (_end[b + i] <= s) continue;
            if (_start[b + i] >= s + occupancy) break;
            s = _end[b + i];
        }
        if (occupancy == 0) return s;
        // Insert [s, s + occupancy) before index i (intervals stay sorted and disjoint); drop the oldest when full.
        if (n == Depth)
        {
            // Full: forget the earliest interval (the one furthest in the past) to make room.
            if (i > 0)
            {
                Array.Copy(_start, b + 1, _start, b, i - 1);
                Array.Copy(_end, b + 1, _end, b, i - 1);
                i--;
            }
        }
        else
        {
            Array.Copy(_start, b + i, _start, b + i + 1, n - i);
            Array.Copy(_end, b + i, _end, b + i + 1, n - i);
            _count[resource] = n + 1;
        }
        _start[b + i] = s;
        _end[b + i] = s + occupancy;
        return s;
    }
}
