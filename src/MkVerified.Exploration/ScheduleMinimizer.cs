using System.Diagnostics;
using System.Text.RegularExpressions;
using MkVerified.Scenarios;
using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>Before and after a trace was shrunk: scheduling decisions until the bug, and preemptions among them.</summary>
public sealed record Minimization(TraceFile Trace, int StepsBefore, int PreemptionsBefore, int StepsAfter, int PreemptionsAfter, int Runs)
{
    public string Summary => $"minimized: {StepsBefore} steps, {PreemptionsBefore} preemptions -> {StepsAfter} steps, {PreemptionsAfter} preemptions ({Runs} runs)";
}

/// <summary>
/// Shrinks a bug's schedule. A schedule is written as its deviations from the laziest scheduler (the running core
/// goes on; when it blocks or ends, the lowest runnable core runs): each deviation is a decision where another core
/// was picked. Delta debugging (ddmin, Zeller 2002) removes deviations while the same check still fails (the same
/// message with its numbers masked), so the result has the fewest switches it needs, then the final run is taken as
/// the new trace (fewer switches also end sooner: steps are counted until the bug). Every candidate is one direct run
/// of the emulation; the budget bounds the runs. The result is a uniform-policy trace that replays with mk replay.
/// </summary>
public static partial class ScheduleMinimizer
{
    public const int DefaultRunBudget = 4000;

    /// <summary>The check a message names: its text with every number masked.</summary>
    public static string CheckOf(string message) => Digits().Replace(message, "#");

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    /// <summary>Null when the trace's bug does not recur in a direct run (say, a liveness bug only Coyote's monitor reports).</summary>
    public static Minimization? Minimize(TraceFile trace, int runBudget = DefaultRunBudget, TimeSpan? timeBudget = null)
    {
        var scenario = ScenarioCatalog.Find(trace.Scenario) ?? throw new ExplorationInputException($"trace names unknown scenario '{trace.Scenario}'");
        ScenarioValidation.Check(scenario, trace.Variant, trace.Machine, trace.Cores, trace.Strategy, out var topology);
        var original = new List<int>();
        var replay = Replayer.Replay(trace, pickLog: original);
        if (!replay.Reproduced) return null;
        var check = CheckOf(trace.BugMessage);
        var runs = 0;
        var watch = Stopwatch.StartNew();
        var limit = timeBudget ?? TimeSpan.FromSeconds(60);

        Guided? Run(IReadOnlyDictionary<int, int>? deviations, IReadOnlyList<int>? follow)
        {
            runs++;
            var policy = new Guided(deviations, follow);
            var result = DirectRun.Run(scenario, topology, trace.Variant, trace.Cores, policy);
            policy.Bug = result.Bug;
            return result.Bug is not null && CheckOf(result.Bug) == check ? policy : null;
        }

        var before = Run(null, original);
        if (before is null) return null;
        var deviations = before.Deviations.ToList();
        var n = 2;
        while (deviations.Count >= 1 && runs < runBudget && watch.Elapsed < limit)
        {
            if (deviations.Count < n) n = deviations.Count;
            var chunk = (deviations.Count + n - 1) / n;
            var reduced = false;
            for (var start = 0; start < deviations.Count && runs < runBudget; start += chunk)
            {
                var complement = deviations.Take(start).Concat(deviations.Skip(start + chunk)).ToList();
                if (Run(complement.ToDictionary(d => d.Step, d => d.Core), null) is null) continue;
                deviations = complement;
                n = Math.Max(n - 1, 2);
                reduced = true;
                break;
            }
            if (reduced) continue;
            if (n >= deviations.Count) break;
            n = Math.Min(n * 2, deviations.Count);
        }
        var after = Run(deviations.ToDictionary(d => d.Step, d => d.Core), null) ?? before;

        // Then fewer steps: move each remaining switch earlier while the check still fails with no more preemptions.
        for (var i = 0; i < deviations.Count && runs < runBudget && watch.Elapsed < limit; i++)
            foreach (var shift in new[] { 32, 16, 8, 4, 2, 1 })
            {
                var step = deviations[i].Step - shift;
                if (step < 0 || (i > 0 && step <= deviations[i - 1].Step)) continue;
                var moved = deviations.Select((d, k) => k == i ? (Step: step, d.Core) : d).ToList();
                if (Run(moved.ToDictionary(d => d.Step, d => d.Core), null) is not { } shorter) continue;
                if (shorter.Preemptions > after.Preemptions || shorter.PickIndices.Count >= after.PickIndices.Count) continue;
                deviations = moved;
                after = shorter;
            }
        // Fewest preemptions first, then fewest steps: the raw schedule wins a tie it is shorter in.
        if ((before.Preemptions, before.PickIndices.Count).CompareTo((after.Preemptions, after.PickIndices.Count)) < 0) after = before;
        var minimized = trace with
        {
            Policy = Strategies.Random,
            BugMessage = after.Bug!,
            CoyoteTrace = CoyoteSchedule.FromPicks(after.PickIndices),
        };
        return new Minimization(minimized, before.PickIndices.Count, before.Preemptions, after.PickIndices.Count, after.Preemptions, runs);
    }

    /// <summary>Follows a recorded schedule, or the laziest scheduler plus given deviations; records what it did.</summary>
    private sealed class Guided(IReadOnlyDictionary<int, int>? deviations, IReadOnlyList<int>? follow) : IPickPolicy
    {
        public List<int> PickIndices { get; } = [];
        public List<(int Step, int Core)> Deviations { get; } = [];
        public int Preemptions { get; private set; }
        public string? Bug { get; set; }

        public int Pick(ReadOnlySpan<int> candidates, int current)
        {
            var step = PickIndices.Count;
            var lazy = current >= 0 ? current : candidates[0];
            var core = lazy;
            if (follow is not null && step < follow.Count && candidates.Contains(follow[step])) core = follow[step];
            else if (deviations is not null && deviations.TryGetValue(step, out var d) && candidates.Contains(d)) core = d;
            if (core != lazy) Deviations.Add((step, core));
            if (current >= 0 && core != current) Preemptions++;
            var index = candidates.IndexOf(core);
            PickIndices.Add(index);
            return index;
        }
    }
}
