using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>Protocol coverage of a run: per state machine, the states entered and (state, trigger) pairs taken, with counts.</summary>
public sealed record MachineCoverage(
    string Machine,
    IReadOnlyList<(string State, long Visits)> States,
    IReadOnlyList<(string State, string Trigger, long Count)> Transitions,
    IReadOnlyList<string> NeverVisitedStates,
    IReadOnlyList<(string State, string Trigger)> NeverTakenTransitions,
    bool TransitionsDeclared);

public sealed record CoverageReport(IReadOnlyList<MachineCoverage> Machines);

/// <summary>
/// Collects coverage across iterations from recorded events: <see cref="TransitionEvent"/>s plus whatever the scenario
/// derives from its other events. In a machine derived from events a transition (state, trigger) enters the state its
/// trigger names; in a declared machine a state counts as visited when a transition leaves it.
/// </summary>
public sealed class CoverageCollector(IScenario scenario, int cores)
{
    private readonly Dictionary<(string Machine, string State, string Trigger), long> _taken = [];
    private readonly Dictionary<(string Machine, string State), long> _entered = [];

    public void Add(IReadOnlyList<TraceEvent> events)
    {
        foreach (var e in events)
            if (TransitionEvent.TryParse(e, out var m, out var s, out var t))
            {
                Count(m, s, t);
                if (TransitionEvent.TryParseDestination(e, out var d)) _entered[(m, d)] = _entered.GetValueOrDefault((m, d)) + 1;
            }
        if (scenario is IScenarioCoverage derived)
            foreach (var v in derived.DerivedTransitions(events)) Count(v.Machine, v.State, v.Trigger);
    }

    private void Count(string machine, string state, string trigger) =>
        _taken[(machine, state, trigger)] = _taken.GetValueOrDefault((machine, state, trigger)) + 1;

    public CoverageReport Report()
    {
        var declared = scenario is IScenarioCoverage c ? c.CoverageMachines(cores) : [];
        var names = declared.Select(d => d.Name).Concat(_taken.Keys.Select(k => k.Machine)).Distinct().ToList();
        var machines = new List<MachineCoverage>();
        foreach (var name in names)
        {
            var spec = declared.FirstOrDefault(d => d.Name == name);
            var taken = _taken.Where(kv => kv.Key.Machine == name)
                .Select(kv => (kv.Key.State, kv.Key.Trigger, Count: kv.Value))
                .OrderBy(t => t.State, StringComparer.Ordinal).ThenBy(t => t.Trigger, StringComparer.Ordinal).ToList();
            // Visits: a derived machine enters the state its trigger names; a state is also visited as often as it is left
            // (which counts "start", entered once per run but never by a transition).
            var visits = new Dictionary<string, long>();
            var derived = spec is null || spec.Transitions.Count == 0;
            if (derived)
                foreach (var (_, trigger, count) in taken) visits[trigger] = visits.GetValueOrDefault(trigger) + count;
            foreach (var group in taken.GroupBy(t => t.State))
                visits[group.Key] = Math.Max(visits.GetValueOrDefault(group.Key), group.Sum(t => t.Count));
            // A recorded destination visits the state too (final states are entered, never left).
            foreach (var ((machine, state), count) in _entered)
                if (machine == name) visits[state] = Math.Max(visits.GetValueOrDefault(state), count);
            var states = (spec?.States ?? visits.Keys.ToList()).Where(visits.ContainsKey).Select(s => (s, visits[s])).ToList();
            var neverStates = spec?.States.Where(s => !visits.ContainsKey(s)).ToList() ?? [];
            var neverTaken = spec?.Transitions.Where(t => !taken.Any(x => x.State == t.State && x.Trigger == t.Trigger)).ToList() ?? [];
            machines.Add(new MachineCoverage(name, states, taken, neverStates, neverTaken, spec is { Transitions.Count: > 0 }));
        }
        return new CoverageReport(machines);
    }
}
