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

    /// <summary>Most scheduling decisions per iteration: the run is stopped there and counts as ended (not a bug).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>When set, each iteration's picks (the core chosen at each scheduling decision) are appended here.</summary>
    public List<int>? PickLog { get; init; }

    /// <summary>Called with the iteration's emulation when it ends, before its verdict is asserted.</summary>
    public Action<Emulation>? OnEnd { get; init; }

    /// <summary>Fingerprint of the last iteration's schedule (its sequence of picks).</summary>
    public long LastScheduleFingerprint { get; private set; }

    /// <summary>Scheduling decisions (picks among two or more runnable cores) of the last iteration.</summary>
    public long LastPicks { get; private set; }

    /// <summary>
    /// <c>--continue</c>: a bug is handed here (with the picked index at each decision, what a uniform policy replays)
    /// instead of failing the Coyote iteration, so the engine goes on; a livelock is reported here too.
    /// </summary>
    public Action<string, IReadOnlyList<int>>? OnBug { get; init; }

    private readonly List<int> _indices = [];

    public void Run(string policyName)
    {
        Emulation? emulation = null;
        PickLog?.Clear();
        _indices.Clear();
        var policy = new FingerprintPolicy(Strategies.CreatePolicy(policyName, cores, horizon, id => emulation!.CoreState(id).Clock), PickLog,
            OnBug is null ? null : _indices);
        emulation = new Emulation(topology, MaxSteps is { } most ? new CutPolicy(policy, most, () => emulation!.RequestStop()) : policy);
        if (RecordEvents) emulation.RecordEvents();
        if (HashState)
        {
            var e = emulation;
            Specification.RegisterStateHashingFunction(() => StateHash.Of(e));
        }
        if (OnBug is null) EveryOperationEnds.Register();
        string? bug = null;
        try
        {
            var outcome = scenario.Run(emulation, variant, cores);
            if (outcome.Ended || outcome.Status == RunStatus.Stopped)
            {
                if (OnBug is null) EveryOperationEnds.NotifyAllEnded();
            }
            else if (outcome.Status == RunStatus.Deadlock) bug = outcome.Report;
            else if (OnBug is not null) bug = $"livelock: {outcome.Report}";
            // A run stopped by the step budget leaves the liveness monitor hot: Coyote reports it at the end of the iteration.
        }
        catch (SafetyViolationException violation)
        {
            bug = violation.Message;
        }
        LastScheduleFingerprint = policy.Fingerprint;
        LastPicks = policy.Picks;
        OnEnd?.Invoke(emulation);
        if (bug is null) return;
        if (OnBug is { } report) report(bug, _indices);
        else Specification.Assert(false, "{0}", bug); // Coyote formats its assert text: a message with braces must be an argument
    }
}

/// <summary>Stops the run once <c>most</c> decisions were made (<c>--max-steps</c>), switching away so the step ends.</summary>
internal sealed class CutPolicy(IPickPolicy inner, long most, Action stop) : IPickPolicy
{
    private long _picks;

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        if (++_picks <= most) return inner.Pick(candidates, current);
        stop();
        return candidates[0] != current ? 0 : 1;
    }
}
