namespace MkVerified.Runtime;

/// <summary>A seeded bug of a scenario: the variant's name and what it breaks.</summary>
public sealed record ScenarioVariant(string Name, string Breaks);

/// <summary>
/// A checkable workload: it starts protocol code on the cores of a given emulation, runs it, and checks the protocol's
/// guarantees (throwing <see cref="SafetyViolationException"/> on a violation). The emulation decides the scheduler, so
/// the same scenario runs under the cycle scheduler (emulation, FsCheck) and under exploration (Coyote).
/// Variants name seeded bugs; <see cref="Correct"/> is the real code.
/// </summary>
public interface IScenario
{
    const string Correct = "correct";

    string Name { get; }
    string Description { get; }
    IReadOnlyList<ScenarioVariant> Variants { get; }
    string DefaultMachine { get; }
    int DefaultCores { get; }

    /// <summary>
    /// The preemption bound of an exhaustive search when none is asked for: where the unbounded search cannot finish, the
    /// highest bound measured to complete within ten minutes here; null (unbounded) where that was not measured
    /// (spec/exploration.md, "Default bound per scenario").
    /// </summary>
    int? DefaultPreemptionBound => null;

    /// <summary>Runs the scenario to its end; the outcome must be <see cref="RunOutcome.Ended"/> for a correct run.</summary>
    RunOutcome Run(Emulation emulation, string variant, int cores);
}
