using MkVerified.Kernel.Monitor;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Tests.Monitor;

/// <summary>The monitor routes by protocol id, runs local work, and ends quiescent (idle) or deadlocked (busy).</summary>
public class CoreMonitorTests
{
    /// <summary>A toy protocol: on kind 1 it replies kind 2 with argument+1; it is busy while it waits for a reply.</summary>
    private sealed class Echo(int protocol) : IProtocolHandler
    {
        public int ProtocolId => protocol;
        public List<(int From, long Instance, long Argument)> Seen { get; } = [];
        public int Waiting { get; set; }
        public bool Busy => Waiting > 0;

        public void Handle(int from, in UrpcMessage message, long clock, Outbox outbox)
        {
            Seen.Add((from, MonitorMessage.Instance(message), MonitorMessage.Argument(message, 1)));
            if (MonitorMessage.Kind(message) == 1)
                outbox.Send(from, MonitorMessage.Create(protocol, 2, MonitorMessage.Instance(message), MonitorMessage.Argument(message, 1) + 1));
            else Waiting--;
        }
    }

    private sealed class SendOnce(Echo echo, int peer, int protocol, long instance, int replies) : ILocalWork
    {
        private bool _sent;
        public bool Pending => !_sent;

        public bool TryStep(long clock, Outbox outbox)
        {
            if (_sent) return false;
            _sent = true;
            echo.Waiting += replies;
            outbox.Send(peer, MonitorMessage.Create(protocol, 1, instance, 41));
            return true;
        }
    }

    private static (RunOutcome Outcome, Echo A1, Echo A2, Echo B1, Echo B2) Run(int expectedReplies)
    {
        var emulation = new Emulation(TestMachines.Get("amd-2x2"));
        var registry = new ChannelRegistry(emulation);
        var a = new CoreMonitor(0, registry);
        var b = new CoreMonitor(3, registry);
        a.Connect(3);
        b.Connect(0);
        Assert.Equal(1, registry.ChannelCount);
        var (a1, a2, b1, b2) = (new Echo(1), new Echo(2), new Echo(1), new Echo(2));
        a.Register(a1);
        a.Register(a2);
        b.Register(b1);
        b.Register(b2);
        a.LocalWork = new SendOnce(a2, 3, 2, 7, expectedReplies);
        emulation.Start(0, a.RunAsync);
        emulation.Start(3, b.RunAsync);
        return (emulation.RunWithin(100_000), a1, a2, b1, b2);
    }

    [Fact]
    public void Messages_reach_the_handler_of_their_protocol_and_the_run_ends_quiescent()
    {
        var (outcome, a1, a2, b1, b2) = Run(expectedReplies: 1);
        Assert.Equal(RunStatus.Quiescent, outcome.Status);
        Assert.Equal([(0, 7L, 41L)], b2.Seen);
        Assert.Equal([(3, 7L, 42L)], a2.Seen);
        Assert.Empty(a1.Seen);
        Assert.Empty(b1.Seen);
    }

    [Fact]
    public void A_monitor_still_waiting_for_a_reply_ends_in_deadlock_not_quiescence()
    {
        var (outcome, _, _, _, _) = Run(expectedReplies: 2);
        Assert.Equal(RunStatus.Deadlock, outcome.Status);
        Assert.Contains("core 0 blocked", outcome.Report);
    }
}
