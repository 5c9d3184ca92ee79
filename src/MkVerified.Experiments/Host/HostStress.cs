using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Runtime.Host;

namespace MkVerified.Experiments.Host;

/// <summary>
/// Stress on real cores: a scenario run again and again on the threads backend, its own safety checks (ghost state,
/// ledgers) armed, so races show up on the host's real interleavings and memory ordering. The first violation ends
/// the stress (later ones would repeat it); runs that end otherwise than completed or quiescent are counted.
/// </summary>
public static class HostStress
{
    public sealed record Report(string Scenario, string Variant, int Iterations, int Ended, IReadOnlyDictionary<RunStatus, int> Outcomes,
        int? ViolationIteration, string? Violation, string? FirstUnendedReport, HostPlacement? Placement)
    {
        public bool Clean => Violation is null && Ended == Iterations;
    }

    public static Report Run(IScenario scenario, string variant, MachineModel model, int cores, int iterations, HostThreadsOptions threads, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        threads = threads with { SpreadStartedCores = true }; // a scenario's cores may be far apart in a big model: use every host CPU
        var outcomes = new Dictionary<RunStatus, int>();
        var ended = 0;
        string? unended = null;
        HostPlacement? placement = null;
        for (var i = 1; i <= iterations; i++)
        {
            if (i % 100 == 0) progress?.Invoke($"stress {scenario.Name} ({variant}): iteration {i} of {iterations}");
            var emulation = Emulation.OnHostThreads(topology, threads);
            try
            {
                var outcome = scenario.Run(emulation, variant, cores);
                placement ??= emulation.HostPlacement;
                outcomes[outcome.Status] = outcomes.GetValueOrDefault(outcome.Status) + 1;
                if (outcome.Ended) ended++;
                else unended ??= $"iteration {i}: {outcome.Status} {outcome.Report}";
            }
            catch (SafetyViolationException e)
            {
                return new Report(scenario.Name, variant, i, ended, outcomes, i, e.Message, unended, placement ?? emulation.HostPlacement);
            }
        }
        return new Report(scenario.Name, variant, iterations, ended, outcomes, null, null, unended, placement);
    }
}
