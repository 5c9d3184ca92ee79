using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Tests.Agreement;

/// <summary>
/// Two coordinators (cores 0 and 6 of amd-4x4, over {0,4,5,6}) start an operation on the same object at the same cycle.
/// Wait-die by instance id gives one winner; the loser retries as a new agreement and commits after it.
/// </summary>
public class ConflictRetryTests
{
    private static readonly int[] Participants = [0, 4, 5, 6];

    private sealed record Run(AgreementSystem System, RunOutcome Outcome)
    {
        public IReadOnlyList<AgreementResult> Results => System.Results;
        public AgreementLedger Ledger => System.Ledger!;
    }

    private static Run Race(IPickPolicy? policy, int? maxRetries)
    {
        var emulation = new Emulation(TestMachines.Get("amd-4x4"), policy);
        var system = new AgreementSystem(emulation);
        foreach (var core in new[] { 0, 6 })
            system.AddWorkload(core, [new AgreementSpec(AgreementSpec.InstanceId(core, 0), 1, core, TreeKind.Multicast, Participants)], window: 1, maxRetries);
        system.Start();
        var outcome = emulation.Run(maxSteps: 2_000_000);
        Assert.True(outcome.Ended, outcome.Report);
        system.Ledger!.CheckAllEnded(); // includes: every operation committed once or gave up; commits serialized
        return new Run(system, outcome);
    }

    private static void AssertBothOperationsCommittedOneAfterTheOther(Run run)
    {
        Assert.Empty(run.Ledger.GaveUpOperations);
        var commits = run.Ledger.CommitOrder;
        Assert.Equal(2, commits.Count);
        Assert.NotEqual(run.Ledger.OperationOf(commits[0]), run.Ledger.OperationOf(commits[1]));
        // Every abort is a lock conflict with the agreement that committed first, and is followed by a retry.
        foreach (var aborted in run.Results.Where(r => !r.Committed))
        {
            Assert.Equal(commits[0], aborted.ConflictWith);
            Assert.Matches($@"^conflict with agreement {AgreementSpec.Describe(commits[0]).Replace(".", @"\.")} on object 1: core [0456] voted no$", aborted.Reason);
        }
    }

    [Fact]
    public void In_cycle_order_the_higher_priority_coordinator_wins_and_the_other_commits_on_its_retry()
    {
        var run = Race(null, null);
        AssertBothOperationsCommittedOneAfterTheOther(run);
        Assert.Equal([AgreementSpec.InstanceId(6, 0), AgreementSpec.InstanceId(0, 1)], run.Ledger.CommitOrder);
        var retry = run.Results.Single(r => r.Spec.Instance == AgreementSpec.InstanceId(0, 1));
        var winner = run.Results.Single(r => r.Spec.Instance == AgreementSpec.InstanceId(6, 0));
        Assert.True(retry.Committed);
        Assert.True(retry.DecidedCycle > winner.DecidedCycle);
    }

    [Fact]
    public void Under_300_random_schedules_both_operations_commit_one_after_the_other()
    {
        var aborts = new List<int>();
        for (var seed = 0; seed < 300; seed++)
        {
            var run = Race(new SeededRandomPolicy(seed), null);
            AssertBothOperationsCommittedOneAfterTheOther(run);
            // Each coordinator locks its own core as it starts, so the two always conflict, and 6.0 (the higher
            // priority) is never refused: it commits first, and core 0's operation commits on a retry.
            Assert.Equal(AgreementSpec.InstanceId(6, 0), run.Ledger.CommitOrder[0]);
            aborts.Add(run.Results.Count(r => !r.Committed));
        }
        Assert.All(aborts, a => Assert.InRange(a, 1, 4));
    }

    [Fact]
    public void Without_retries_the_loser_ends_aborted_with_the_conflict_as_its_reason()
    {
        var run = Race(null, maxRetries: 0);
        var loser = run.Results.Single(r => !r.Committed);
        Assert.Equal(AgreementSpec.InstanceId(0, 0), loser.Spec.Instance);
        Assert.Equal(AgreementSpec.InstanceId(6, 0), loser.ConflictWith);
        Assert.Matches(@"^conflict with agreement 6\.0 on object 1: core [456] voted no$", loser.Reason);
        Assert.Equal([AgreementSpec.InstanceId(6, 0)], run.Ledger.CommitOrder);
        Assert.Equal($"{loser.Reason}; gave up: retry budget of 0 used", run.Ledger.GaveUpOperations[AgreementSpec.InstanceId(0, 0)]);
    }
}
