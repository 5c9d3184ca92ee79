using MkVerified.Runtime;
using MkVerified.Scenarios;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// The agreement ledger's checks read what other cores reported and their lock tables, which live in no modeled
/// memory line: exploration must see every report and lock change as a change of the reporting core's private state,
/// and every report as a read of every core's, or partial-order reduction takes a report and a check on another core
/// for independent and may skip the order in which the check fails (as it did for TLB checks).
/// </summary>
public sealed class LedgerObservationTests
{
    private sealed class PrivateStateLog : IStepObserver
    {
        public HashSet<(int Core, int Of, bool Write)> Seen { get; } = [];
        public void Ran(int core) { }
        public void Accessed(int core, int line, bool write)
        {
            for (var of = 0; of < 16; of++)
                if (line == IStepObserver.PrivateStateLine(of)) Seen.Add((core, of, write));
        }
        public void WaitChecked(int core, int line) { }
        public void ReadWriteStamp(int core) { }
    }

    [Fact]
    public void Every_agreement_core_shows_its_reports_as_writes_and_reads_every_cores_state()
    {
        var scenario = ScenarioCatalog.Find("agreement")!;
        var emulation = new Emulation(TestMachines.Get(scenario.DefaultMachine));
        var log = new PrivateStateLog();
        emulation.Observer = log;
        var outcome = scenario.Run(emulation, IScenario.Correct, 3);
        Assert.True(outcome.Ended, outcome.Report);
        var cores = log.Seen.Select(s => s.Core).Distinct().Order().ToList();
        Assert.Equal(3, cores.Count);
        foreach (var core in cores)
        {
            Assert.Contains((core, core, true), log.Seen);
            foreach (var other in cores) Assert.Contains((core, other, false), log.Seen);
        }
    }
}
