using MkVerified.Runtime;

namespace MkVerified.Tests.Runtime;

/// <summary>
/// A wait ends when a line the core looked at has changed since it looked, as a spinning core sees its cached
/// copy invalidated. Found by the URPC model-based test: a sender out of credit read the ack line, polled the
/// incoming ring, then waited; an ack written between the two reads was lost and the run reported a deadlock.
/// </summary>
public class WaitSemanticsTests
{
    [Fact]
    public void A_write_between_the_last_look_and_the_wait_is_not_lost()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        var b = e.Memory.Allocate(8, 0);
        var lines = new[] { SharedMemory.LineOf(a), SharedMemory.LineOf(b) };
        long seen = -1;
        e.Start(0, async ctx =>
        {
            while (true)
            {
                var va = await ctx.Read(a);
                ctx.Compute(1000); // core 1 writes a while core 0 goes on to look at b
                var vb = await ctx.Read(b);
                if (va + vb > 0)
                {
                    seen = va + vb;
                    return;
                }
                await ctx.WaitForAnyWrite(lines, idle: false, "a or b");
            }
        });
        e.Start(1, async ctx => await ctx.Write(a, 7), startCycle: 500);
        var outcome = e.RunWithin(100_000);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(7, seen);
    }

    [Fact]
    public void A_line_never_looked_at_or_not_written_since_still_blocks()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        var b = e.Memory.Allocate(8, 0);
        e.Start(0, async ctx =>
        {
            await ctx.Read(a);
            await ctx.WaitForWrite(SharedMemory.LineOf(a), idle: false, "line a");
        });
        e.Start(1, async ctx =>
        {
            await ctx.Read(a); // another reader does not change the line
            await ctx.WaitForWrite(SharedMemory.LineOf(b), idle: false, "line b");
        });
        var outcome = e.RunWithin(100_000);
        Assert.Equal(RunStatus.Deadlock, outcome.Status);
        Assert.Contains("core 0 blocked", outcome.Report);
        Assert.Contains("core 1 blocked", outcome.Report);
    }

    [Fact]
    public void Its_own_write_does_not_wake_the_writer()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var a = e.Memory.Allocate(8, 0);
        e.Start(0, async ctx =>
        {
            await ctx.Read(a);
            await ctx.Write(a, 1);
            await ctx.WaitForWrite(SharedMemory.LineOf(a), idle: false, "line a");
        });
        Assert.Equal(RunStatus.Deadlock, e.RunWithin(100_000).Status);
    }
}
