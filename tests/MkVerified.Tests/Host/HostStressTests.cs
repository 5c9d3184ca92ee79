using MkVerified.Experiments.Host;
using MkVerified.Scenarios;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Tests.Host;

/// <summary><c>mk stress</c>: scenarios with their checks armed, run on host threads (few iterations: CI has 2 cores).</summary>
public class HostStressTests
{
    private static HostStress.Report Stress(string scenario, string variant, int iterations)
    {
        var s = ScenarioCatalog.Find(scenario)!;
        return HostStress.Run(s, variant, ModelCatalog.Load(s.DefaultMachine), s.DefaultCores, iterations, HostThreadsTests.Short);
    }

    [Fact]
    public void The_correct_urpc_channel_is_clean_on_host_threads()
    {
        var report = Stress("urpc", IScenario.Correct, 100);
        Assert.True(report.Clean, report.Violation ?? report.FirstUnendedReport);
        Assert.Equal(100, report.Outcomes[RunStatus.Completed]);
    }

    /// <summary>
    /// The symptoms each seeded bug can show. On real threads which ghost check sees a stale slot first is a matter of
    /// timing: the slot's sequence check, or (when the sender's ghost record lags its burst) the payload comparison.
    /// </summary>
    [Theory]
    [InlineData("no-credit-check", "ignored its credits")]
    [InlineData("epoch-wrap", "a stale slot passed the epoch check|arrived corrupted")]
    public void A_seeded_urpc_bug_is_caught_by_the_checks_on_real_threads(string variant, string symptoms)
    {
        var report = Stress("urpc", variant, 200);
        Assert.NotNull(report.Violation);
        Assert.Matches(symptoms, report.Violation);
    }

    [Fact]
    public void The_tlb_shootdown_protocol_runs_to_the_end_on_host_threads_with_its_checks()
    {
        var report = Stress("tlb-shootdown", IScenario.Correct, 5);
        Assert.True(report.Clean, report.Violation ?? report.FirstUnendedReport);
        Assert.Equal(5, report.Ended);
    }

    [Theory]
    [InlineData("agreement")]
    [InlineData("agreement-fairness")]
    public void The_agreement_scenarios_run_clean_on_host_threads_with_their_ledger(string scenario)
    {
        var report = Stress(scenario, IScenario.Correct, 5);
        Assert.True(report.Clean, report.Violation ?? report.FirstUnendedReport);
        var cpus = MkVerified.Runtime.Host.CpuAffinity.Allowed();
        if (cpus.Count >= 2) Assert.True(report.Placement!.Cpus.Distinct().Count() >= 2, "the scenario's cores are spread over the host's CPUs");
    }
}
