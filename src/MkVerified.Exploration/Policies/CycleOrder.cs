using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>The cycle scheduler's order as a pick: lowest clock first, ties by lowest id.</summary>
public static class CycleOrder
{
    /// <summary>Index of the <paramref name="rank"/>-th candidate in cycle order (0 = the one the cycle scheduler would run).</summary>
    public static int Nth(ReadOnlySpan<int> candidates, Func<int, long> clockOf, int rank)
    {
        Span<int> order = stackalloc int[candidates.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        for (var i = 1; i < order.Length; i++)
            for (var j = i; j > 0 && Before(candidates[order[j]], candidates[order[j - 1]], clockOf); j--)
                (order[j], order[j - 1]) = (order[j - 1], order[j]);
        return order[rank % order.Length];
    }

    private static bool Before(int a, int b, Func<int, long> clockOf)
    {
        var (ca, cb) = (clockOf(a), clockOf(b));
        return ca < cb || (ca == cb && a < b);
    }
}

/// <summary>Picks in cycle order and counts the picks: the dry run that sizes PCT's and delay-bounding's horizon.</summary>
public sealed class CycleOrderPolicy(Func<int, long> clockOf) : IPickPolicy
{
    public long Picks { get; private set; }

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        Picks++;
        return CycleOrder.Nth(candidates, clockOf, 0);
    }
}
