using MkVerified.Runtime;
using MkVerified.Runtime.Host;
using MkVerified.Urpc;

namespace MkVerified.Tests.Host;

/// <summary>The threads backend: the same core code on OS threads over real memory, every run bounded by a time limit.</summary>
public class HostThreadsTests
{
    internal static readonly HostThreadsOptions Short = new() { TimeLimit = TimeSpan.FromSeconds(20) };

    private static UrpcMessage Numbered(long i) => new(1, i, i * 3, i * 5, i * 7, i * 11, i * 13, ~i);

    [Fact]
    public void Urpc_ping_pong_on_two_host_threads_delivers_every_message_intact_in_order()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
        var ch = new UrpcChannel(e, 0, 1, new UrpcOptions { Slots = 4, AckThreshold = 2 });
        var replies = new List<UrpcMessage>();
        var served = new List<UrpcMessage>();
        const int rounds = 2000;
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < rounds; i++)
            {
                await ch.A.SendAsync(ctx, Numbered(i));
                replies.Add(await ch.A.ReceiveAsync(ctx));
            }
        });
        e.Start(1, async ctx =>
        {
            for (var i = 0; i < rounds; i++)
            {
                var m = await ch.B.ReceiveAsync(ctx);
                served.Add(m);
                await ch.B.SendAsync(ctx, m);
            }
        });
        var outcome = e.Run();
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(Enumerable.Range(0, rounds).Select(i => Numbered(i)), served);
        Assert.Equal(served, replies);
        Assert.True(outcome.MaxClock > 0, "host clocks read real time");
        Assert.NotNull(e.HostPlacement);
    }

    [Fact]
    public void A_streamed_ring_wraps_many_times_without_losing_a_wake_up()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
        var ch = new UrpcChannel(e, 0, 1, new UrpcOptions { Slots = 3, AckThreshold = 2 });
        var received = new List<UrpcMessage>();
        const int count = 20_000;
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < count; i++) await ch.A.SendAsync(ctx, Numbered(i));
        });
        e.Start(1, async ctx =>
        {
            for (var i = 0; i < count; i++) received.Add(await ch.B.ReceiveAsync(ctx));
        });
        Assert.Equal(RunStatus.Completed, e.Run().Status);
        Assert.Equal(Enumerable.Range(0, count).Select(i => Numbered(i)), received);
    }

    [Fact]
    public void Cores_that_finish_without_waiting_end_the_run_completed_not_quiescent()
    {
        // The watchdog once saw "no core running" after the cores finished between its two looks, and called it quiescent.
        for (var run = 0; run < 300; run++)
        {
            var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
            var counter = e.Memory.Allocate(1, 0);
            for (var c = 0; c < 2; c++)
                e.Start(c, async ctx =>
                {
                    for (var i = 0; i < 64; i++) await ctx.AtomicAdd(counter, 1);
                });
            Assert.Equal(RunStatus.Completed, e.Run().Status);
        }
    }

    [Fact]
    public void Interlocked_atomics_lose_no_update_and_memory_is_copied_back_for_checkers()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
        var counter = e.Memory.Allocate(1, 0);
        for (var c = 0; c < 2; c++)
            e.Start(c, async ctx =>
            {
                for (var i = 0; i < 50_000; i++) await ctx.AtomicAdd(counter, 1);
            });
        Assert.Equal(RunStatus.Completed, e.Run().Status);
        Assert.Equal(100_000, e.Memory.Peek(counter));
    }

    [Fact]
    public void A_wait_nobody_will_end_is_reported_as_a_deadlock_not_a_hang()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
        var line = SharedMemory.LineOf(e.Memory.Allocate(8, 0));
        e.Start(0, async ctx => await ctx.WaitForWrite(line, idle: false, "a write nobody makes"));
        var outcome = e.Run();
        Assert.Equal(RunStatus.Deadlock, outcome.Status);
        Assert.Contains("a write nobody makes", outcome.Report);
    }

    [Fact]
    public void Idle_service_loops_end_the_run_as_quiescent()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
        var flag = e.Memory.Allocate(8, 0);
        e.Start(1, async ctx =>
        {
            while (await ctx.Read(flag) == 0) await ctx.WaitForWrite(SharedMemory.LineOf(flag), idle: true, "work");
            while (true) await ctx.WaitForWrite(SharedMemory.LineOf(flag), idle: true, "more work");
        });
        e.Start(0, async ctx => await ctx.Write(flag, 1));
        Assert.Equal(RunStatus.Quiescent, e.Run().Status);
    }

    [Fact]
    public void A_core_that_spins_forever_ends_at_the_time_limit()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), new HostThreadsOptions { TimeLimit = TimeSpan.FromMilliseconds(300) });
        var word = e.Memory.Allocate(1, 0);
        e.Start(0, async ctx =>
        {
            while (await ctx.Read(word) == 0) { }
        });
        var outcome = e.Run();
        Assert.Equal(RunStatus.StepLimit, outcome.Status);
        Assert.Contains("time limit", outcome.Report);
    }

    [Fact]
    public void Interrupts_are_refused_with_a_clear_message()
    {
        var e = Emulation.OnHostThreads(TestMachines.Get("amd-2x2"), Short);
        e.Start(0, ctx =>
        {
            ctx.SendInterrupt(1);
            return CoreTask.Completed;
        });
        var error = Assert.Throws<NotSupportedException>(() => e.Run());
        Assert.Equal(HostCore.NoInterruptsMessage, error.Message);
    }
}
