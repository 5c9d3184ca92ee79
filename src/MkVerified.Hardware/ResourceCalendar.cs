namespace MkVerified.Hardware;

/// <summary>
/// The busy intervals of many shared resources (link directions, home agents, probe handling). A message takes the
/// earliest gap at or after its arrival that is long enough for its occupancy, so a message that arrives early is not
/// queued behind one that was booked earlier for a later time (transactions book their later messages ahead).
/// Intervals that end before <see cref="Now"/> can no longer be in anyone's way and are dropped: the cycle scheduler
/// issues accesses in time order, so no later booking arrives before it. Bookings that start more than
/// <see cref="Horizon"/> cycles after <see cref="Now"/> (only a long queue for one contended line reaches that far)
/// are not kept: the cost of keeping every one of a thousand queued transactions' messages is quadratic.
/// </summary>
internal sealed class ResourceCalendar
{
    /// <summary>How far ahead of the current time bookings are kept (a 32-core experiment's longest line queue is a few thousand cycles).</summary>
    public const int Horizon = 1 << 15;

    private readonly long[][] _start;
    private readonly long[][] _end;
    private readonly int[] _head;  // first live interval of each resource
    private readonly int[] _count; // live intervals of each resource, from _head

    public ResourceCalendar(int resources)
    {
        _start = new long[resources][];
        _end = new long[resources][];
        for (var r = 0; r < resources; r++)
        {
            _start[r] = new long[4];
            _end[r] = new long[4];
        }
        _head = new int[resources];
        _count = new int[resources];
    }

    /// <summary>The cycle at which the latest access was issued; nothing is booked before it any more.</summary>
    public long Now { get; private set; }

    public void Advance(long now)
    {
        if (now > Now) Now = now;
    }

    /// <summary>Books <paramref name="occupancy"/> cycles of <paramref name="resource"/> from the earliest free cycle at or after <paramref name="arrival"/>; returns that cycle.</summary>
    public long Reserve(int resource, long arrival, int occupancy)
    {
        var starts = _start[resource];
        var ends = _end[resource];
        var head = _head[resource];
        var n = _count[resource];
        while (n > 0 && ends[head] <= Now)
        {
            head++;
            n--;
        }
        // Intervals are disjoint and sorted, so their ends are sorted too: skip those that end by the arrival.
        int lo = head, hi = head + n;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (ends[mid] <= arrival) lo = mid + 1;
            else hi = mid;
        }
        var s = arrival;
        var i = lo;
        for (; i < head + n; i++)
        {
            if (starts[i] >= s + occupancy) break;
            s = ends[i];
        }
        if (occupancy > 0 && s - Now <= Horizon)
        {
            // A booking that touches its neighbour extends it: a saturated resource is then one interval, not a queue of
            // back-to-back ones that every early arrival would have to shift (same busy cycles, so the same answers).
            var end = s + occupancy;
            var touchesPrevious = i > head && ends[i - 1] == s;
            var touchesNext = i < head + n && starts[i] == end;
            if (touchesPrevious || touchesNext)
            {
                if (!touchesNext) ends[i - 1] = end;
                else if (!touchesPrevious) starts[i] = s;
                else
                {
                    ends[i - 1] = ends[i];
                    Array.Copy(starts, i + 1, starts, i, head + n - i - 1);
                    Array.Copy(ends, i + 1, ends, i, head + n - i - 1);
                    n--;
                }
                _head[resource] = head;
                _count[resource] = n;
                return s;
            }
            if (head + n == starts.Length)
            {
                // Out of room at the end: slide the live intervals to the front, growing the arrays if they are mostly live.
                if (n * 2 > starts.Length)
                {
                    Array.Resize(ref _start[resource], starts.Length * 2);
                    Array.Resize(ref _end[resource], starts.Length * 2);
                }
                Array.Copy(starts, head, _start[resource], 0, n);
                Array.Copy(ends, head, _end[resource], 0, n);
                i -= head;
                head = 0;
                starts = _start[resource];
                ends = _end[resource];
            }
            Array.Copy(starts, i, starts, i + 1, head + n - i);
            Array.Copy(ends, i, ends, i + 1, head + n - i);
            starts[i] = s;
            ends[i] = end;
            n++;
        }
        _head[resource] = head;
        _count[resource] = n;
        return s;
    }
}
