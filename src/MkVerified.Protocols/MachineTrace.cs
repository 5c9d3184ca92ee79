using MkVerified.Runtime;
using Stateless;
using Stateless.Reflection;

namespace MkVerified.Protocols;

/// <summary>
/// Protocol coverage and readable replays: a Stateless machine's transitions become <see cref="TransitionEvent"/>s on
/// its core, and its declared shape (every state and (state, trigger)) comes from <c>GetInfo()</c>, so never-visited
/// ones can be listed. Nothing is attached unless the emulation records events, so exploration pays nothing.
/// </summary>
public static class MachineTrace
{
    public static void Attach<TState, TTrigger>(StateMachine<TState, TTrigger> machine, string name, Emulation? emulation, int core)
    {
        if (emulation is not { IsRecording: true }) return;
        var ctx = emulation.Context(core);
        machine.OnTransitioned(t => ctx.Record(TransitionEvent.Kind, -1, TransitionEvent.Detail(name, $"{t.Source}", $"{t.Trigger}", $"{t.Destination}")));
    }

    /// <summary>Every state, and every (state, trigger) that the configuration can take (fixed, guarded or dynamic; not ignored ones).</summary>
    public static (IReadOnlyList<string> States, IReadOnlyList<(string State, string Trigger)> Transitions) Shape(StateMachineInfo info)
    {
        var states = info.States.Select(s => $"{s.UnderlyingState}").ToList();
        var transitions = info.States
            .SelectMany(s => s.FixedTransitions.Cast<TransitionInfo>().Concat(s.DynamicTransitions)
                .Select(t => ($"{s.UnderlyingState}", $"{t.Trigger.UnderlyingTrigger}")))
            .Distinct().ToList();
        return (states, transitions);
    }
}
