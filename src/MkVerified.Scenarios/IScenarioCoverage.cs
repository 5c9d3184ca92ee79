using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>A state machine's declared shape, so coverage can list what was never visited. Empty transitions: not declared.</summary>
public sealed record CoverageMachine(string Name, IReadOnlyList<string> States, IReadOnlyList<(string State, string Trigger)> Transitions)
{
    /// <summary>The declared shapes of Stateless machines, from their <c>GetInfo()</c>.</summary>
    public static IReadOnlyList<CoverageMachine> From(IEnumerable<(string Name, Stateless.Reflection.StateMachineInfo Info)> machines) =>
        machines.Select(m =>
        {
            var (states, transitions) = Protocols.MachineTrace.Shape(m.Info);
            return new CoverageMachine(m.Name, states, transitions);
        }).ToList();
}

/// <summary>A visited transition: in <paramref name="State"/> of <paramref name="Machine"/>, <paramref name="Trigger"/> happened.</summary>
public sealed record VisitedTransition(string Machine, string State, string Trigger);

/// <summary>
/// Optional for a scenario: the state machines its coverage is measured on. Protocols built on Stateless record
/// <see cref="TransitionEvent"/>s; a scenario without such machines (URPC) derives transitions from its other events.
/// </summary>
public interface IScenarioCoverage
{
    IReadOnlyList<CoverageMachine> CoverageMachines(int cores);

    /// <summary>Transitions derived from a run's events other than <see cref="TransitionEvent"/>s (none by default).</summary>
    IEnumerable<VisitedTransition> DerivedTransitions(IReadOnlyList<TraceEvent> events) => [];
}
