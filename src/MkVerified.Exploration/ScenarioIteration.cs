using Microsoft.Coyote.Specifications;
using MkVerified.Exploration.Policies;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>
/// One Coyote test iteration of a scenario: a fresh emulation whose scheduler asks a pick policy at every scheduling
/// point, the scenario's code on its cores, and its verdict turned into a Coyote assertion. Exploration and replay run
/// exactly this, so a recorded schedule replays the same code.
/// </summary>
public sealed class ScenarioIteration(IScenario scenario, Topology topology, string variant, int cores, int horizon)
{
    public IScenario Scenario => scenario;
    public string Variant => variant;
    public int Cores => cores;
    public int Horizon => horizon;

    /// <summary>Record trace events (replay renders, coverage); off while exploring for speed.</summary>
    public bool RecordEvents { get; init; }

    /// <summary>Register the machine-state hash with Coyote (Q-learning learns over it).</summary>
    public bool HashState { get; init; }

    /// <summary>When set, each iteration's picks (the core chosen at each scheduling decision) are appended here.</summary>
    public List<int>? PickLog { get; init; }

    /// <summary>Called with the iteration's emulation when it ends, before its verdict is asserted.</summary>
    public Action<Emulation>? OnEnd { get; init; }

    /// <summary>Fingerprint of the last iteration's schedule (its sequence of picks).</summary>
    public long LastScheduleFingerprint { get; private set; }

    /// <summary>Scheduling decisions (picks among two or more runnable cores) of the last iteration.</summary>
    public long LastPicks { get; private set; }

    public void Run(string policyName)
    {
        Emulation? emulation = null;
        PickLog?.Clear();
        var policy = new FingerprintPolicy(Strategies.CreatePolicy(policyName, cores, horizon, id => emulation!.CoreState(id).Clock), PickLog);
        emulation = new Emulation(topology, policy);
        if (RecordEvents) emulation.RecordEvents();
        if (HashState)
        {
            var e = emulation;
            Specification.RegisterStateHashingFunction(() => StateHash.Of(e));
        }
        EveryOperationEnds.Register();
        string? bug = null;
        try
        {
            var outcome = scenario.Run(emulation, variant, cores);
            if (outcome.Ended) EveryOperationEnds.NotifyAllEnded();
            else if (outcome.Status == RunStatus.Deadlock) bug = outcome.Report;
            // A run stopped by the step budget leaves the liveness monitor hot: Coyote reports it at the end of the iteration.
        }
        catch (SafetyViolationException violation)
        {
            bug = violation.Message;
        }
        LastScheduleFingerprint = policy.Fingerprint;
        LastPicks = policy.Picks;
        OnEnd?.Invoke(emulation);
        if (bug is not null) Specification.Assert(false, bug);
    }
}
