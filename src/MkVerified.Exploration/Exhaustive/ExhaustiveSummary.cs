using System.Text;

namespace MkVerified.Exploration.Exhaustive;

/// <summary>The lines <c>mk explore --strategy exhaustive</c> prints, and the trace of a bug it found.</summary>
public static class ExhaustiveSummary
{
    public static string Render(ExplorationRequest q, ExhaustiveOptions o, ExhaustiveResult r)
    {
        var sb = new StringBuilder();
        var bounds = $"preemption bound {(o.PreemptionBound is { } k ? k.ToString() : "none")}, "
            + $"max steps {(o.MaxSteps == long.MaxValue ? "none" : o.MaxSteps.ToString())}, {Reductions(o)}";
        sb.AppendLine($"scenario:   {q.Scenario.Name} / {q.Variant} on {q.Machine}, {q.Cores} cores");
        sb.AppendLine($"strategy:   exhaustive ({bounds})");
        var rate = r.Elapsed.TotalSeconds > 0 ? r.Schedules / r.Elapsed.TotalSeconds : 0;
        sb.AppendLine($"schedules:  {r.Schedules} in {r.Elapsed.TotalSeconds:0.00} s ({rate:0}/s), of which {r.SleepBlocked} stopped as redundant; "
            + $"{r.PrunedBranches} branches pruned by POR, {r.BoundedBranches} beyond the preemption bound, {r.Cut} cut by --max-steps");
        sb.AppendLine($"steps:      {r.MinPicks}/{r.MeanPicks:0.0}/{r.MaxPicks} scheduling decisions per schedule (min/mean/max)");
        var verdict = r.FoundBug ? $"BUG found at schedule {r.Schedules}: {r.BugMessage}"
            : r.Complete ? $"complete: true (every schedule{(o.PreemptionBound is { } b ? $" with at most {b} preemptions" : "")} explored), no bug"
            : r.TimedOut ? "complete: false (time limit), no bug so far"
            : r.Cut > 0 ? "complete: false (schedules cut by --max-steps), no bug"
            : "complete: false (schedule limit), no bug so far";
        sb.AppendLine($"verdict:    {verdict}");
        return sb.ToString();
    }

    // Under a preemption bound only preempted cores sleep (ExhaustivePolicy.MaySleep), so say what runs.
    private static string Reductions(ExhaustiveOptions o) => (o.Reduction, o.PreemptionBound) switch
    {
        (Reduction.Dpor, null) => "DPOR + sleep sets",
        (Reduction.Dpor, _) => "bounded DPOR + sleep sets of preempted cores",
        (Reduction.Sleep, null) => "sleep sets",
        (Reduction.Sleep, _) => "sleep sets of preempted cores",
        _ => "no POR",
    };

    public static TraceFile Trace(ExplorationRequest q, int horizon, ExhaustiveResult r) =>
        new(q.Scenario.Name, q.Variant, q.Machine, q.Cores, Strategies.Exhaustive, Strategies.Random, horizon, q.Seed, r.Schedules,
            r.BugMessage ?? throw new InvalidOperationException("no bug, no trace"), CoyoteSchedule.FromPicks(r.BugPicks!), TraceFile.ToolVersion);
}
