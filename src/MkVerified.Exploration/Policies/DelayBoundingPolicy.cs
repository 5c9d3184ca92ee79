using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>
/// <c>delay-bounding</c> (Emmi et al. 2011): follow the cycle scheduler's own order (lowest clock first, ties by id)
/// except at <see cref="Delays"/> scheduling points drawn in the first <c>horizon</c> at the start of the iteration,
/// where the core that would run is skipped for the next one in that order. Explores the schedules a few steps away
/// from the realistic one.
/// </summary>
public sealed class DelayBoundingPolicy : IPickPolicy
{
    public const int Delays = 2;

    private readonly Func<int, long> _clockOf;
    private readonly int[] _delayAt;
    private int _picks;

    public DelayBoundingPolicy(ChoiceSource choices, int horizon, Func<int, long> clockOf, int delays = Delays)
    {
        _clockOf = clockOf;
        _delayAt = new int[delays];
        for (var i = 0; i < delays; i++) _delayAt[i] = choices.Next(horizon);
    }

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        var delays = 0;
        foreach (var d in _delayAt) if (d == _picks) delays++;
        _picks++;
        return CycleOrder.Nth(candidates, _clockOf, delays);
    }
}
