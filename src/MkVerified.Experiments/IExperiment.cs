using MkVerified.Hardware;

namespace MkVerified.Experiments;

/// <summary>An experiment reproducing one result of the paper, on any machine model, in modeled cycles.</summary>
public interface IExperiment
{
    string Name { get; }
    string Description { get; }

    /// <summary>Runs it; <paramref name="progress"/> receives short human-readable steps.</summary>
    ExperimentResult Run(MachineModel model, Action<string>? progress = null);
}
