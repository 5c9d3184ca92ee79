using MkVerified.Scenarios;
using MkVerified.Hardware;
using MkVerified.Runtime;

namespace MkVerified.Tests.Agreement;

/// <summary>
/// Agreement machines are rebound to new agreements after a clean run (building them was most of an explored run's
/// cost): a run on reused machines must be the same run, step for step, as one on new machines.
/// </summary>
public class MachineReuseTests
{
    private static (RunStatus Status, long Steps, long MaxClock, List<int> Picks) RunOnce(int seed)
    {
        var picks = new List<int>();
        var emulation = new Emulation(TestMachines.Get("amd-4x4"), new LoggingPolicy(new SeededRandomPolicy(seed), picks));
        var outcome = new AgreementScenario().Run(emulation, IScenario.Correct, 4);
        return (outcome.Status, outcome.Steps, outcome.MaxClock, picks);
    }

    [Fact]
    public void A_run_on_recycled_machines_repeats_the_run_on_new_ones()
    {
        // The first runs fill the pool (whatever it held before); every repeat takes recycled machines, bound to the
        // previous run's records and hosts until rebound: a stale binding would change the run or break its checks.
        var first = Enumerable.Range(0, 20).Select(RunOnce).ToList();
        for (var seed = 0; seed < 20; seed++)
        {
            var again = RunOnce(seed);
            Assert.Equal(first[seed].Status, again.Status);
            Assert.Equal(first[seed].Steps, again.Steps);
            Assert.Equal(first[seed].MaxClock, again.MaxClock);
            Assert.Equal(first[seed].Picks, again.Picks);
        }
    }

    private sealed class LoggingPolicy(IPickPolicy inner, List<int> log) : IPickPolicy
    {
        public int Pick(ReadOnlySpan<int> candidates, int current)
        {
            var pick = inner.Pick(candidates, current);
            log.Add(candidates[pick]);
            return pick;
        }
    }
}
