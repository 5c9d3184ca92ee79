using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary><c>random</c>: every runnable core is equally likely at every scheduling point.</summary>
public sealed class UniformPolicy(ChoiceSource choices) : IPickPolicy
{
    public int Pick(ReadOnlySpan<int> candidates, int current) => choices.Next(candidates.Length);
}
