using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>
/// <c>probabilistic</c>: the core that reached the scheduling point keeps running unless a controlled coin (one in
/// <see cref="SwitchOdds"/>) says switch; then another runnable core is drawn uniformly. Long solo runs followed by a
/// switch at an arbitrary point reach deep states (a full ring, a wrap) that uniform switching rarely does.
/// </summary>
public sealed class StickyPolicy(ChoiceSource choices) : IPickPolicy
{
    public const int SwitchOdds = 8;

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        var self = candidates.IndexOf(current);
        if (self < 0) return choices.Next(candidates.Length);
        if (choices.Next(SwitchOdds) != 0) return self;
        var other = choices.Next(candidates.Length - 1);
        return other < self ? other : other + 1;
    }
}
