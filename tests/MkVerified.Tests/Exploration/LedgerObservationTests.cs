using MkVerified.Runtime;
using MkVerified.Scenarios;
using MkVerified.Tests.Runtime;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// The agreement ledger's checks read what other cores reported and their lock tables, which live in no modeled
/// memory line: exploration must see every report and lock change as a change of the reporting core's private state,
/// and every report as a read of every core's, or partial-order reduction takes a report and a check on another core
/// for independent and may skip the order in which the check fails (as it did for TLB checks).
/// </summary>
public sealed class LedgerObservationTests
{
    [Fact]
    public void Every_agreement_core_shows_its_reports_as_writes_and_reads_every_cores_state()
    {
        var scenario = ScenarioCatalog.Find("agreement")!;
        var emulation = new Emulation(TestMachines.Get(scenario.DefaultMachine));
        var log = new StepAccessLog();
        emulation.Observer = log;
        var outcome = scenario.Run(emulation, IScenario.Correct, 3);
        Assert.True(outcome.Ended, outcome.Report);
        var ownerOf = Enumerable.Range(0, 16).ToDictionary(IStepObserver.PrivateStateLine); // pseudo-line -> its core
        var seen = log.Accesses.Where(a => ownerOf.ContainsKey(a.Line)).Select(a => (a.Core, ownerOf[a.Line], a.Write)).ToHashSet();
        var cores = seen.Select(s => s.Core).Distinct().Order().ToList();
        Assert.Equal(3, cores.Count);
        foreach (var core in cores)
        {
            Assert.Contains((core, core, true), seen);
            foreach (var other in cores) Assert.Contains((core, other, false), seen);
        }
    }
}
