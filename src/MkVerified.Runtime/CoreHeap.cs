namespace MkVerified.Runtime;

/// <summary>Binary min-heap of runnable cores ordered by (clock, id): the cycle scheduler's run queue.</summary>
internal sealed class CoreHeap
{
    private EmulatedCore[] _items = new EmulatedCore[16];

    public int Count { get; private set; }

    public EmulatedCore Peek() => _items[0];

    public static bool Before(EmulatedCore a, EmulatedCore b) => a.Clock < b.Clock || (a.Clock == b.Clock && a.Id < b.Id);

    public void Push(EmulatedCore core)
    {
        if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(core, _items[parent])) break;
            _items[i] = _items[parent];
            i = parent;
        }
        _items[i] = core;
    }

    public EmulatedCore Pop()
    {
        var top = _items[0];
        var last = _items[--Count];
        _items[Count] = null!;
        if (Count > 0)
        {
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= Count) break;
                if (child + 1 < Count && Before(_items[child + 1], _items[child])) child++;
                if (!Before(_items[child], last)) break;
                _items[i] = _items[child];
                i = child;
            }
            _items[i] = last;
        }
        return top;
    }
}
