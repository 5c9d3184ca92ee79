using MkVerified.Kernel.Monitor;
using MkVerified.Runtime;
using MkVerified.Tests.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Tests.Monitor;

/// <summary>
/// What a handler may do beyond sending (<see cref="IProtocolHandler.PerformAsync"/>), and when the monitor hands a
/// polled message over (as soon as its poll pulls it in): core 0 receives one message from each of cores 1 and 2, both
/// in its rings before its monitor first polls, and records what it handles and what it touches when.
/// </summary>
public class CoreMonitorDispatchOrderTests
{
    private const int Protocol = 5;

    /// <summary>Records each message's handling cycle; its effect is a store of the message's argument to <c>Address</c>.</summary>
    private sealed class Recorder(long address) : IProtocolHandler
    {
        public int ProtocolId => Protocol;
        public bool Busy => false;
        public List<long> HandledAt { get; } = [];
        public List<long> Arguments { get; } = [];

        public void Handle(int from, in UrpcMessage message, long clock, Outbox outbox)
        {
            HandledAt.Add(clock);
            Arguments.Add(MonitorMessage.Argument(message, 1));
        }

        public async CoreTask PerformAsync(CoreContext ctx, int from, UrpcMessage message) =>
            await ctx.Write(address, MonitorMessage.Argument(message, 1));
    }

    private static (Recorder Recorder, SharedMemory Memory, long Address, RunOutcome Outcome, List<(int Line, bool Write)> Core0Accesses, int SecondRingLine) Run()
    {
        var emulation = new Emulation(TestMachines.Get("amd-2x2"));
        var log = new StepAccessLog();
        emulation.Observer = log;
        var registry = new ChannelRegistry(emulation);
        var address = emulation.Memory.Allocate(1, 0);
        var receiver = new CoreMonitor(0, registry);
        receiver.Connect(1);
        receiver.Connect(2);
        var recorder = new Recorder(address);
        receiver.Register(recorder);
        foreach (var sender in new[] { 1, 2 })
        {
            var endpoint = registry.EndpointFor(sender, 0);
            emulation.Start(sender, async ctx => await endpoint.SendAsync(ctx, MonitorMessage.Create(Protocol, 1, sender, 40 + sender)));
        }
        emulation.Start(0, async ctx =>
        {
            ctx.Compute(100_000); // both messages are written by now
            while (recorder.HandledAt.Count < 2)
                if (!await receiver.ServeOnceAsync(ctx)) await receiver.WaitAsync(ctx, idle: false, "both messages");
        });
        var secondRingLine = registry.EndpointFor(0, 2).IncomingLine;
        var outcome = emulation.RunWithin(100_000);
        var core0 = log.Accesses.Where(a => a.Core == 0).Select(a => (a.Line, a.Write)).ToList();
        return (recorder, emulation.Memory, address, outcome, core0, secondRingLine);
    }

    [Fact]
    public void A_handler_performs_its_memory_effects_after_each_message()
    {
        var (recorder, memory, address, outcome, _, _) = Run();
        Assert.True(outcome.Ended, outcome.Report);
        Assert.Equal([41L, 42L], recorder.Arguments.Order());
        Assert.Equal(recorder.Arguments[^1], memory.Peek(address)); // each message's store, in handling order
    }

    [Fact]
    public void A_message_is_handled_as_soon_as_its_poll_pulls_it_in_before_the_next_channel_is_polled()
    {
        var (recorder, _, address, outcome, core0, secondRingLine) = Run();
        Assert.True(outcome.Ended, outcome.Report);
        var firstEffect = core0.IndexOf((SharedMemory.LineOf(address), true));
        var secondPoll = core0.IndexOf((secondRingLine, false));
        Assert.True(firstEffect >= 0 && secondPoll >= 0, "core 0 stored no effect or never polled core 2's ring");
        Assert.True(firstEffect < secondPoll, $"core 0 polled core 2's ring (access {secondPoll}) before it performed the first message's store (access {firstEffect})");
        Assert.Equal(41L, recorder.Arguments[0]); // core 1's channel is polled first
    }
}
