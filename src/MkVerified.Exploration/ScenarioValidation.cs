using MkVerified.Exploration.Policies;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>Bad input for exploration or replay (unknown variant, wrong core count, corrupt trace): one line for the user.</summary>
public sealed class ExplorationInputException(string message) : Exception(message);

/// <summary>Checks a request before any iteration runs, so bad input is one clear line, not a Coyote bug report.</summary>
public static class ScenarioValidation
{
    public const int MinHorizon = 8;

    /// <summary>Validates, builds the topology, and returns the scenario's length in picks (the policies' horizon).</summary>
    public static int Check(IScenario scenario, string variant, string machine, int cores, string strategy, out Topology topology)
    {
        if (!Strategies.IsKnown(strategy))
            throw new ExplorationInputException($"unknown strategy '{strategy}'; known: {string.Join(", ", Strategies.Accepted)}");
        if (variant != IScenario.Correct && scenario.Variants.All(v => v.Name != variant))
            throw new ExplorationInputException($"unknown variant '{variant}' of scenario {scenario.Name}; known: {IScenario.Correct}, {string.Join(", ", scenario.Variants.Select(v => v.Name))}");
        var model = LoadModel(machine);
        if (cores < 1 || cores > model.CoreCount)
            throw new ExplorationInputException($"--cores must be in 1..{model.CoreCount} for machine {model.Name}, not {cores}");
        topology = new Topology(model);
        // One run in cycle order with every access a scheduling point: a scenario rejects a shape it cannot run (say,
        // the wrong core count) here, and the run's number of picks sizes PCT's and delay-bounding's horizon.
        Emulation? emulation = null;
        var counter = new CycleOrderPolicy(id => emulation!.CoreState(id).Clock);
        emulation = new Emulation(topology, counter);
        try
        {
            scenario.Run(emulation, variant, cores);
        }
        catch (ArgumentException e)
        {
            throw new ExplorationInputException(e.Message);
        }
        catch (SafetyViolationException)
        {
            // A seeded bug may show even in cycle order; exploration will find it again.
        }
        return (int)Math.Clamp(counter.Picks, MinHorizon, int.MaxValue);
    }

    private static MachineModel LoadModel(string machine)
    {
        try
        {
            return ModelCatalog.Load(machine);
        }
        catch (ModelException e)
        {
            throw new ExplorationInputException(e.Message);
        }
    }
}
