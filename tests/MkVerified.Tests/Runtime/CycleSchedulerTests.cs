using MkVerified.Runtime;

namespace MkVerified.Tests.Runtime;

public class CycleSchedulerTests
{
    [Fact]
    public void The_core_with_the_lowest_clock_runs_next_and_ties_go_to_the_lower_id()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var line = e.Memory.Allocate(8, 0);
        var order = new List<(int Core, long Clock)>();
        foreach (var (core, start) in new[] { (2, 100L), (0, 100L), (1, 50L) })
        {
            e.Start(core, async ctx =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await ctx.Read(line + core);
                    order.Add((ctx.Id, ctx.Clock));
                }
            }, start);
        }
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        // Accesses happen in nondecreasing start-clock order: each recorded completion follows from a start that was minimal.
        Assert.Equal(1, order[0].Core);
        var firstAt100 = order.First(o => o.Core != 1);
        Assert.Equal(0, firstAt100.Core);
    }

    [Fact]
    public void A_waiting_core_sleeps_until_a_write_then_pays_the_transfer()
    {
        var t = TestMachines.Get("amd-2x2");
        var e = new Emulation(t);
        var flag = e.Memory.Allocate(8, 0);
        long seenAt = 0, wokeAt = 0, issuedAt = 0;
        e.Start(2, async ctx =>
        {
            while (await ctx.Read(flag) == 0)
            {
                await ctx.WaitForWrite(SharedMemory.LineOf(flag), idle: false, "flag");
                wokeAt = ctx.Clock;
            }
            seenAt = ctx.Clock;
        });
        e.Start(0, async ctx =>
        {
            ctx.Compute(10_000);
            issuedAt = ctx.Clock;
            await ctx.Write(flag, 1);
        });
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        Assert.Equal(e.Memory.Directory.StoresDrained(0), wokeAt);          // woken when the store became visible
        Assert.True(wokeAt > issuedAt, "a store to a line another package holds takes a transaction");
        Assert.True(seenAt > wokeAt + t.Model.Costs.SameDieTransfer, "the reread fetches the line from the other package");
        Assert.Equal(0, e.CoreState(0).WaitedCycles);
        Assert.True(e.CoreState(2).WaitedCycles > 9_000);
    }

    [Fact]
    public void All_cores_waiting_with_no_write_pending_is_a_deadlock_naming_each_core()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        var b = e.Memory.Allocate(8, 0);
        e.Start(0, async ctx => await ctx.WaitForWrite(SharedMemory.LineOf(a), idle: false, "line a"));
        e.Start(1, async ctx => await ctx.WaitForWrite(SharedMemory.LineOf(b), idle: false, "line b"));
        var outcome = e.RunWithin(100_000);
        Assert.Equal(RunStatus.Deadlock, outcome.Status);
        Assert.Contains("core 0 blocked at cycle 0 waiting for line a", outcome.Report);
        Assert.Contains("core 1 blocked at cycle 0 waiting for line b", outcome.Report);
    }

    [Fact]
    public void A_lone_core_spinning_on_its_cached_copy_ends_the_run_at_the_step_limit_with_its_state()
    {
        // Alone, the core always has the lowest clock and never yields: the run's budget of memory accesses stops it.
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var flag = e.Memory.Allocate(8, 0);
        e.Start(1, async ctx =>
        {
            while (await ctx.Read(flag) == 0) { }
        });
        var outcome = e.Run(maxSteps: 1_000);
        Assert.Equal(RunStatus.StepLimit, outcome.Status);
        Assert.Equal(1_000 * Emulation.PointsPerStep, e.Points);
        Assert.Contains($"step limit reached after {outcome.Steps} steps and {e.Points} memory accesses; core 1 runnable at cycle", outcome.Report);
    }

    [Fact]
    public void Cores_idle_in_service_loops_are_quiescent_not_deadlocked()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        e.Start(0, async ctx => await ctx.WaitForWrite(SharedMemory.LineOf(a), idle: true, "requests"));
        e.Start(1, async ctx => await ctx.Read(a));
        Assert.Equal(RunStatus.Quiescent, e.RunWithin(100_000).Status);
    }

    [Fact]
    public void A_finished_core_can_be_started_again_keeping_its_clock_and_cache()
    {
        var t = TestMachines.Get("amd-2x2");
        var e = new Emulation(t);
        var a = e.Memory.Allocate(8, 0);
        e.Start(0, async ctx => await ctx.Read(a));
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        var afterFirst = e.CoreState(0).Clock;
        Assert.Equal(t.Model.Costs.Memory, afterFirst); // homed on its own chip, no copy anywhere
        e.Start(0, async ctx => await ctx.Read(a));
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        Assert.Equal(afterFirst + t.Model.Costs.CacheHit, e.CoreState(0).Clock); // a hit: the line stayed in its cache
    }

    [Fact]
    public void A_core_whose_body_has_not_finished_cannot_be_started_again()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        e.Start(0, async ctx => await ctx.WaitForWrite(SharedMemory.LineOf(a), idle: false, "line a"));
        var again = Assert.Throws<InvalidOperationException>(() => e.Start(0, async ctx => await ctx.Read(a)));
        Assert.Equal("core 0 already runs a body", again.Message);
        e.RunWithin(100_000);
        Assert.Throws<InvalidOperationException>(() => e.Start(0, async ctx => await ctx.Read(a)));
    }

    [Fact]
    public void A_fault_on_a_core_surfaces_from_run()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        e.Start(1, async ctx =>
        {
            await ctx.Read(a);
            throw new SafetyViolationException("boom on core 1");
        });
        var ex = Assert.Throws<SafetyViolationException>(() => e.RunWithin(100_000));
        Assert.Equal("boom on core 1", ex.Message);
    }

    [Fact]
    public void Awaiting_a_foreign_task_is_refused_loudly()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var tcs = new TaskCompletionSource();
        e.Start(0, async ctx =>
        {
            await tcs.Task;
        });
        var ex = Assert.Throws<InvalidOperationException>(() => e.RunWithin(100_000));
        Assert.Contains("awaited something other than an emulator operation", ex.Message);
    }

    [Fact]
    public void An_exploration_policy_chooses_the_interleaving_of_memory_accesses()
    {
        // Two cores increment a counter with a plain read then write; a policy that switches between the
        // read and the write loses an update. Shows that exploration really interleaves memory accesses.
        static long RunWith(IPickPolicy? policy)
        {
            var e = new Emulation(TestMachines.Get("amd-2x2"), policy);
            var counter = e.Memory.Allocate(8, 0);
            for (var c = 0; c < 2; c++)
            {
                e.Start(c, async ctx =>
                {
                    var v = await ctx.Read(counter);
                    await ctx.Write(counter, v + 1);
                });
            }
            e.RunWithin(100_000);
            return e.Memory.Peek(counter);
        }
        Assert.Equal(1, RunWith(new AlwaysSwitch()));
        Assert.Equal(2, RunWith(new NeverSwitch()));
    }

    private sealed class NeverSwitch : IPickPolicy
    {
        public int Pick(ReadOnlySpan<int> candidates, int current)
        {
            var i = candidates.IndexOf(current);
            return i >= 0 ? i : 0;
        }
    }

    private sealed class AlwaysSwitch : IPickPolicy
    {
        public int Pick(ReadOnlySpan<int> candidates, int current)
        {
            for (var i = 0; i < candidates.Length; i++)
                if (candidates[i] != current) return i;
            return 0;
        }
    }
}
