using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>
/// One run of a scenario directly on an emulation with a given pick policy, outside Coyote (exhaustive search and
/// minimization run thousands of these). The verdict is the one a Coyote iteration asserts: a broken guarantee or a
/// deadlock is a bug; a run that hits the scenario's step budget is a livelock.
/// </summary>
public static class DirectRun
{
    public sealed record Result(RunOutcome? Outcome, string? Bug);

    public static Result Run(IScenario scenario, Topology topology, string variant, int cores, IPickPolicy policy, IStepObserver? observer = null, Action<Emulation>? begin = null)
    {
        var emulation = new Emulation(topology, policy) { Observer = observer };
        begin?.Invoke(emulation);
        try
        {
            var outcome = scenario.Run(emulation, variant, cores);
            var bug = outcome.Status switch
            {
                RunStatus.Deadlock => outcome.Report,
                RunStatus.StepLimit => $"livelock: {outcome.Report}",
                _ => null,
            };
            return new Result(outcome, bug);
        }
        catch (SafetyViolationException violation)
        {
            return new Result(null, violation.Message);
        }
    }
}
