using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>
/// <c>delay-bounding</c> (Emmi et al. 2011): follow the cycle scheduler's own order (lowest clock first, ties by id)
/// except at <see cref="Delays"/> scheduling points drawn at the start of the iteration, where the core that would
/// run is skipped for the next one in that order. Explores the schedules a few steps away from the realistic one.
/// </summary>
public sealed class DelayBoundingPolicy : IPickPolicy
{
    public const int Delays = 2;
    public const int Horizon = 2000;

    private readonly Func<int, long> _clockOf;
    private readonly List<int> _delayAt = [];
    private int _picks;

    public DelayBoundingPolicy(ChoiceSource choices, Func<int, long> clockOf)
    {
        _clockOf = clockOf;
        for (var i = 0; i < Delays; i++) _delayAt.Add(choices.Next(Horizon));
    }

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        var delays = 0;
        foreach (var d in _delayAt) if (d == _picks) delays++;
        _picks++;
        // Rank candidates by (clock, id); the delays-th in that order runs (wrapping when delays exceed the candidates).
        Span<int> order = stackalloc int[candidates.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        for (var i = 1; i < order.Length; i++)
            for (var j = i; j > 0 && Before(candidates[order[j]], candidates[order[j - 1]]); j--)
                (order[j], order[j - 1]) = (order[j - 1], order[j]);
        return order[delays % order.Length];
    }

    private bool Before(int a, int b)
    {
        var (ca, cb) = (_clockOf(a), _clockOf(b));
        return ca < cb || (ca == cb && a < b);
    }
}
