using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>Bad input for exploration or replay (unknown variant, wrong core count, corrupt trace): one line for the user.</summary>
public sealed class ExplorationInputException(string message) : Exception(message);

/// <summary>Checks a request before any iteration runs, so bad input is one clear line, not a Coyote bug report.</summary>
public static class ScenarioValidation
{
    public static void Check(IScenario scenario, string variant, string machine, int cores, string strategy, out Topology topology)
    {
        if (!Strategies.IsKnown(strategy))
            throw new ExplorationInputException($"unknown strategy '{strategy}'; known: {string.Join(", ", Strategies.All)}");
        if (variant != IScenario.Correct && scenario.Variants.All(v => v.Name != variant))
            throw new ExplorationInputException($"unknown variant '{variant}' of scenario {scenario.Name}; known: {IScenario.Correct}, {string.Join(", ", scenario.Variants.Select(v => v.Name))}");
        var model = LoadModel(machine);
        if (cores < 1 || cores > model.CoreCount)
            throw new ExplorationInputException($"--cores must be in 1..{model.CoreCount} for machine {model.Name}, not {cores}");
        topology = new Topology(model);
        // One run under the cycle scheduler: a scenario rejects a shape it cannot run (say, the wrong core count) here.
        try
        {
            scenario.Run(new Emulation(topology), variant, cores);
        }
        catch (ArgumentException e)
        {
            throw new ExplorationInputException(e.Message);
        }
        catch (SafetyViolationException)
        {
            // A seeded bug may show even in cycle order; exploration will find it again.
        }
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
