using MkVerified.Runtime;
using Xunit.Sdk;

namespace MkVerified.Tests;

/// <summary>
/// Every emulation a test drives directly runs with a step budget sized for its workload: a core that spins (a
/// protocol change that loses a wake-up, a loop that never ends) fails the test at once with each core's state,
/// instead of hanging the test run.
/// </summary>
public static class BoundedRun
{
    /// <summary>Runs <paramref name="emulation"/> for at most <paramref name="maxSteps"/> steps; reaching the bound fails the test with the run's report.</summary>
    public static RunOutcome RunWithin(this Emulation emulation, long maxSteps)
    {
        var outcome = emulation.Run(maxSteps);
        if (outcome.Status == RunStatus.StepLimit)
            throw new XunitException($"the emulation did not end within {maxSteps} steps (a spin?): {outcome.Report}");
        return outcome;
    }
}
