using Microsoft.Coyote;
using MkVerified.Exploration.Policies;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>
/// The exploration strategies of <c>mk explore</c>. The runtime's own scheduler runs the cores and asks a pick policy
/// at every scheduling point; the policy draws its choices from Coyote's controlled generator. (Coyote's built-in
/// strategies all answer those draws with one uniform generator, so the policies are ours; Q-learning is Coyote's,
/// fed a hash of the emulated machine's state.)
/// </summary>
public static class Strategies
{
    public const string Random = "random";
    public const string Pct = "pct";
    public const string Probabilistic = "probabilistic";
    public const string QLearning = "qlearning";
    public const string DelayBounding = "delay-bounding";
    public const string Portfolio = "portfolio";

    /// <summary>Depth-first enumeration of every schedule with partial-order reduction (not a Coyote strategy: it runs the emulation directly).</summary>
    public const string Exhaustive = "exhaustive";

    public static IReadOnlyList<string> All { get; } = [Random, Pct, Probabilistic, QLearning, DelayBounding, Portfolio];

    /// <summary>The policies a portfolio run rotates through, one per iteration.</summary>
    public static IReadOnlyList<string> PortfolioRotation { get; } = [Probabilistic, Pct, Random, DelayBounding];

    /// <summary>The Coyote strategies plus <see cref="Exhaustive"/>: what <c>--strategy</c> accepts.</summary>
    public static IReadOnlyList<string> Accepted { get; } = [.. All, Exhaustive];

    public static bool IsKnown(string name) => Accepted.Contains(name);

    /// <summary>The policy that iteration <paramref name="iteration"/> (0-based) of a run with <paramref name="strategy"/> uses.</summary>
    public static string PolicyOf(string strategy, long iteration) =>
        strategy == Portfolio ? PortfolioRotation[(int)(iteration % PortfolioRotation.Count)] : strategy;

    /// <summary>
    /// Builds the policy for one iteration; <paramref name="horizon"/> is how many picks a run of the scenario makes
    /// (where PCT's change points and delay-bounding's delays are placed). Must be called inside the iteration
    /// (the generator is per iteration).
    /// </summary>
    public static IPickPolicy CreatePolicy(string policy, int cores, int horizon, Func<int, long> clockOf)
    {
        var choices = new ChoiceSource();
        return policy switch
        {
            Random or QLearning => new UniformPolicy(choices),
            Pct => new PriorityPolicy(choices, cores, horizon),
            Probabilistic => new StickyPolicy(choices),
            DelayBounding => new DelayBoundingPolicy(choices, horizon, clockOf),
            _ => throw new ArgumentException($"unknown policy '{policy}'"),
        };
    }

    /// <summary>Coyote's own strategy for a run: Q-learning for <c>qlearning</c>, otherwise random (it only answers the policy's draws).</summary>
    public static Configuration WithCoyoteStrategy(this Configuration configuration, string strategy) =>
        strategy == QLearning ? configuration.WithQLearningStrategy() : configuration.WithRandomStrategy();
}
