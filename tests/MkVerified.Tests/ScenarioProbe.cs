using MkVerified.Runtime;

namespace MkVerified.Tests;

/// <summary>A plain seeded-random schedule (no Coyote): uniform choice among the runnable cores.</summary>
public sealed class SeededRandomPolicy(int seed) : IPickPolicy
{
    private readonly Random _random = new(seed);
    public int Pick(ReadOnlySpan<int> candidates, int current) => _random.Next(candidates.Length);
}

/// <summary>Runs a scenario once and says what went wrong: the violated guarantee, a deadlock report, or null.</summary>
public static class ScenarioProbe
{
    public static string? Bug(IScenario scenario, string variant, IPickPolicy? policy, int? cores = null)
    {
        var emulation = new Emulation(TestMachines.Get(scenario.DefaultMachine), policy);
        try
        {
            var outcome = scenario.Run(emulation, variant, cores ?? scenario.DefaultCores);
            return outcome.Ended ? null : outcome.Report;
        }
        catch (SafetyViolationException e)
        {
            return e.Message;
        }
    }
}
