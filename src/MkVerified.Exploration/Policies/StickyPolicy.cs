using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>
/// <c>probabilistic</c>: the core that reached the scheduling point keeps running unless a controlled coin (one in
/// <see cref="SwitchOdds"/>) says switch; then another runnable core is drawn uniformly. Long solo runs followed by a
/// switch at an arbitrary point reach deep states (a full ring, a wrap) that uniform switching rarely does.
/// </summary>
public sealed class StickyPolicy(ChoiceSource choices, double? switchProbability = null) : IPickPolicy
{
    public const int SwitchOdds = 8;

    /// <summary>Resolution of <c>--switch-probability</c>: the coin is a draw among this many values.</summary>
    public const int Resolution = 10_000;

    private readonly int _switchBelow = switchProbability is { } p ? (int)Math.Round(p * Resolution) : -1;

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        var self = candidates.IndexOf(current);
        if (self < 0) return choices.Next(candidates.Length);
        if (_switchBelow < 0 ? choices.Next(SwitchOdds) != 0 : choices.Next(Resolution) >= _switchBelow) return self;
        var other = choices.Next(candidates.Length - 1);
        return other < self ? other : other + 1;
    }
}
