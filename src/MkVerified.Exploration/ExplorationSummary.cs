using System.Text;

namespace MkVerified.Exploration;

/// <summary>The few lines <c>mk explore</c> prints: what ran, how fast, how many distinct schedules, and the verdict.</summary>
public static class ExplorationSummary
{
    public static string Render(ExplorationResult r)
    {
        var q = r.Request;
        var sb = new StringBuilder();
        sb.AppendLine($"scenario:   {q.Scenario.Name} / {q.Variant} on {q.Machine}, {q.Cores} cores");
        sb.AppendLine($"strategy:   {q.Strategy}, seed {q.Seed}, budget {q.Iterations} iterations (a run makes about {r.Horizon} scheduling decisions)");
        sb.AppendLine($"iterations: {r.IterationsRun} in {r.Elapsed.TotalSeconds:0.00} s ({r.IterationsPerSecond:0} it/s, {r.Steps.Mean * r.IterationsPerSecond:0} steps/s), {r.DistinctSchedules} distinct schedules");
        var verdict = r.FoundBug ? $"BUG found at iteration {r.IterationsRun} (policy {r.BugPolicy}): {r.BugMessage}"
            : r.BuggyIterations > 0 ? $"BUGS: {r.BuggyIterations} of {r.IterationsRun} iterations failed a check, {r.DistinctBugs.Count} distinct failing check(s) (--continue)"
            : r.TimedOut ? "no bug found before the time limit"
            : "no bug found";
        sb.AppendLine($"verdict:    {verdict}");
        return sb.ToString();
    }
}
