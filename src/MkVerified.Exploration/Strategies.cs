using System.Globalization;
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
        var (name, parameter) = Split(policy);
        var choices = new ChoiceSource();
        return name switch
        {
            Random or QLearning => new UniformPolicy(choices),
            Pct => new PriorityPolicy(choices, cores, horizon, parameter is null ? PriorityPolicy.ChangePoints : (int)parameter.Value),
            Probabilistic => new StickyPolicy(choices, parameter),
            DelayBounding => new DelayBoundingPolicy(choices, horizon, clockOf, parameter is null ? DelayBoundingPolicy.Delays : (int)parameter.Value),
            _ => throw new ArgumentException($"unknown policy '{policy}'"),
        };
    }

    /// <summary>
    /// A policy with a knob is written <c>name:value</c> (<c>pct:5</c> change points, <c>delay-bounding:4</c> delays,
    /// <c>probabilistic:0.25</c> switch probability), so a trace records the knob in its <c>policy</c> field and replays
    /// with it; without a knob (the defaults) the name alone, as before.
    /// </summary>
    public static string WithKnob(string policy, PolicyKnobs knobs)
    {
        var value = policy switch
        {
            Pct => knobs.PctDepth?.ToString(CultureInfo.InvariantCulture),
            DelayBounding => knobs.DelayBound?.ToString(CultureInfo.InvariantCulture),
            Probabilistic => knobs.SwitchProbability?.ToString("R", CultureInfo.InvariantCulture),
            _ => null,
        };
        return value is null ? policy : $"{policy}:{value}";
    }

    /// <summary>True for a policy name a trace may carry: a known one, with a well-formed knob if any.</summary>
    public static bool IsReplayable(string policy)
    {
        var colon = policy.IndexOf(':');
        if (colon < 0) return IsKnown(policy) && policy is not (Portfolio or Exhaustive);
        var (name, parameter) = (policy[..colon], policy[(colon + 1)..]);
        if (!double.TryParse(parameter, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return false;
        return name switch
        {
            Pct or DelayBounding => v >= 0 && v == Math.Floor(v) && v <= 1000,
            Probabilistic => v is > 0 and <= 1,
            _ => false,
        };
    }

    private static (string Name, double? Parameter) Split(string policy)
    {
        var colon = policy.IndexOf(':');
        return colon < 0 ? (policy, null) : (policy[..colon], double.Parse(policy[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Coyote's own strategy for a run: Q-learning for <c>qlearning</c>, otherwise random (it only answers the policy's draws).</summary>
    public static Configuration WithCoyoteStrategy(this Configuration configuration, string strategy) =>
        strategy == QLearning ? configuration.WithQLearningStrategy() : configuration.WithRandomStrategy();
}

/// <summary>The strategies' knobs (null: the policy's default).</summary>
public sealed record PolicyKnobs(int? PctDepth = null, int? DelayBound = null, double? SwitchProbability = null)
{
    public static PolicyKnobs Defaults { get; } = new();
}
