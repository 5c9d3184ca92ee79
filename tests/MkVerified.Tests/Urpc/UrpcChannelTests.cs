using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Tests.Urpc;

public class UrpcChannelTests
{
    private static UrpcMessage Numbered(long i) => new(1, i, i * 3, i * 5, i * 7, i * 11, i * 13, ~i);

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(32)]
    public void Many_wraps_deliver_every_message_once_in_order_intact(int slots)
    {
        var e = new Emulation(TestMachines.Get("amd-4x4"));
        var ch = new UrpcChannel(e, 0, 5, new UrpcOptions { Slots = slots, AckThreshold = Math.Max(2, slots / 2) });
        var received = new List<UrpcMessage>();
        const int count = 500;
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < count; i++) await ch.A.SendAsync(ctx, Numbered(i));
        });
        e.Start(5, async ctx =>
        {
            for (var i = 0; i < count; i++) received.Add(await ch.B.ReceiveAsync(ctx));
        });
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        Assert.Equal(Enumerable.Range(0, count).Select(i => Numbered(i)), received);
    }

    [Fact]
    public void The_sender_never_has_more_than_slots_messages_unacknowledged()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var ch = new UrpcChannel(e, 0, 1, new UrpcOptions { Slots = 4, AckThreshold = 2 });
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < 10; i++) await ch.A.SendAsync(ctx, Numbered(i));
        });
        // Nobody receives: the sender must stop after 4 messages (the ring size) and wait for credit.
        var outcome = e.RunWithin(100_000);
        Assert.Equal(RunStatus.Deadlock, outcome.Status);
        Assert.Equal(4, ch.A.Sent);
        Assert.Contains("credit on urpc 0->1", outcome.Report);
    }

    [Fact]
    public void The_receiver_writes_an_explicit_ack_each_time_threshold_messages_went_unacknowledged()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var ch = new UrpcChannel(e, 0, 1, new UrpcOptions { Slots = 8, AckThreshold = 3 });
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < 7; i++) await ch.A.SendAsync(ctx, Numbered(i));
        });
        e.Start(1, async ctx =>
        {
            for (var i = 0; i < 7; i++) await ch.B.ReceiveAsync(ctx);
        });
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        Assert.Equal(7, ch.B.Consumed);
        Assert.Equal(6, e.Memory.Peek(ch.AtoB.AckAddress)); // acks after 3 and 6; the 7th is not yet acknowledged
    }

    [Fact]
    public void A_reply_piggybacks_the_ack_and_gives_the_sender_credit_without_the_ack_line()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var ch = new UrpcChannel(e, 0, 1, new UrpcOptions { Slots = 4, AckThreshold = 3 });
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < 7; i++) await ch.A.SendAsync(ctx, Numbered(i));
        });
        e.Start(1, async ctx =>
        {
            // Consume 2 (below the threshold: no explicit ack), then reply once: the header carries "2 consumed".
            for (var i = 0; i < 2; i++) await ch.B.ReceiveAsync(ctx);
            await ch.B.SendAsync(ctx, Numbered(100));
        });
        var outcome = e.RunWithin(100_000);
        Assert.Equal(0, e.Memory.Peek(ch.AtoB.AckAddress));
        Assert.Equal(6, ch.A.Sent); // 4 slots + 2 credits from the piggybacked ack; the 7th waits for credit
        Assert.Equal(RunStatus.Deadlock, outcome.Status);
        Assert.Contains("core 0 blocked", outcome.Report);
        Assert.Contains("credit on urpc 0->1", outcome.Report);
    }

    [Fact]
    public void Both_directions_full_at_once_do_not_deadlock()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var ch = new UrpcChannel(e, 0, 2, new UrpcOptions { Slots = 4, AckThreshold = 3 });
        var got = new List<UrpcMessage>[2] { [], [] };
        const int count = 100;
        foreach (var (core, end, idx) in new[] { (0, ch.A, 0), (2, ch.B, 1) })
        {
            e.Start(core, async ctx =>
            {
                // Send everything first (rings fill up both ways), then receive.
                for (var i = 0; i < count; i++) await end.SendAsync(ctx, Numbered(i));
                for (var i = 0; i < count; i++) got[idx].Add(await end.ReceiveAsync(ctx));
            });
        }
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        Assert.Equal(count, got[0].Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => Numbered(i)), got[1]);
    }

    [Fact]
    public void A_message_costs_its_line_transfers_plus_the_send_and_receive_paths()
    {
        var t = TestMachines.Get("amd-8x4");
        var c = t.Model.Costs;
        var onChip = MkVerified.Experiments.UrpcBenchmarks.OneWayLatency(t, 0, 1);
        var twoHops = MkVerified.Experiments.UrpcBenchmarks.OneWayLatency(t, 0, 8);
        // On one chip: the sender's store invalidates the receiver's copy, the receiver fetches the line back.
        Assert.InRange(onChip, c.MessageSend + c.MessageReceive + c.SharedCacheTransfer, c.MessageSend + c.MessageReceive + 2 * c.SharedCacheTransfer + 14 * c.CacheHit);
        Assert.True(twoHops > onChip, $"two hops ({twoHops}) should cost more than one chip ({onChip})");
    }

    [Fact]
    public void An_ack_after_every_message_streams_without_ping_pong()
    {
        var e = new Emulation(TestMachines.Get("amd-2x2"));
        var ch = new UrpcChannel(e, 0, 1, new UrpcOptions { Slots = 3, AckThreshold = 1 });
        var received = new List<UrpcMessage>();
        e.Start(0, async ctx =>
        {
            for (var i = 0; i < 50; i++) await ch.A.SendAsync(ctx, Numbered(i));
        });
        e.Start(1, async ctx =>
        {
            for (var i = 0; i < 50; i++) received.Add(await ch.B.ReceiveAsync(ctx));
        });
        Assert.Equal(RunStatus.Completed, e.RunWithin(100_000).Status);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => Numbered(i)), received);
    }
}
