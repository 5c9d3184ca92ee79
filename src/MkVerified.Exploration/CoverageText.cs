using System.Text;

namespace MkVerified.Exploration;

/// <summary>Coverage as text: per machine, states and transitions visited (with counts) and what was never visited.</summary>
public static class CoverageText
{
    public static string Render(CoverageReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("coverage:");
        foreach (var m in report.Machines)
        {
            sb.AppendLine($"  {m.Machine}: {m.States.Count} states visited, {m.Transitions.Count} distinct transitions taken");
            sb.AppendLine($"    states: {string.Join(", ", m.States.Select(s => $"{s.State} ({s.Visits})"))}");
            sb.AppendLine($"    never visited: {(m.NeverVisitedStates.Count == 0 ? "none" : string.Join(", ", m.NeverVisitedStates))}");
            foreach (var (state, trigger, count) in m.Transitions) sb.AppendLine($"    {state} --{trigger}--> x{count}");
            if (m.TransitionsDeclared)
                sb.AppendLine($"    transitions never taken: {(m.NeverTakenTransitions.Count == 0 ? "none" : string.Join(", ", m.NeverTakenTransitions.Select(t => $"{t.State} --{t.Trigger}-->")))}");
            else
                sb.AppendLine("    (transitions are consecutive events here, not declared, so never-taken ones cannot be listed)");
        }
        return sb.ToString();
    }
}
