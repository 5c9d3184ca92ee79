using Microsoft.Coyote.Random;

namespace MkVerified.Exploration.Policies;

/// <summary>
/// Every choice a pick policy makes comes from here: Coyote's controlled generator, so the engine records each one
/// and a reproducible trace replays it. A policy asks only when there is a real choice (two or more options).
/// </summary>
public sealed class ChoiceSource
{
    private readonly Generator _generator;

    /// <summary>Must be created inside a Coyote test iteration.</summary>
    public ChoiceSource() => _generator = Generator.Create();

    /// <remarks>
    /// Exploring, Coyote always answers within range. Replaying a schedule against changed code (another variant, or
    /// code whose scheduling points moved), Coyote hands back the recorded value even when this draw has fewer options;
    /// taking it modulo the count keeps the replay on a nearby schedule instead of crashing the policy.
    /// </remarks>
    public int Next(int count) => count < 2 ? 0 : (int)((uint)_generator.NextInteger(count) % (uint)count);
}
