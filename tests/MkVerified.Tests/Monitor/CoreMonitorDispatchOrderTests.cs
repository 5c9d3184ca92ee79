using MkVerified.Kernel.Monitor;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Tests.Monitor;

/// <summary>
/// What a handler may do beyond sending (<see cref="IProtocolHandler.PerformAsync"/>), and when the monitor hands a
/// polled message over (<see cref="IProtocolHandler.HandlesOnArrival"/>): core 0 receives one message from each of
/// cores 1 and 2, both in its rings before its monitor first polls, and records when and what it handles.
/// </summary>
public class CoreMonitorDispatchOrderTests
{
    private const int Protocol = 5;

    /// <summary>Records each message's handling cycle; its effect is a store of the message's argument to <c>Address</c>.</summary>
    private sealed class Recorder(bool onArrival, long address) : IProtocolHandler
    {
        private long _pending = -1;
        public int ProtocolId => Protocol;
        public bool Busy => false;
        public bool HandlesOnArrival => onArrival;
        public List<long> HandledAt { get; } = [];
        public List<long> Arguments { get; } = [];

        public void Handle(int from, in UrpcMessage message, long clock, Outbox outbox)
        {
            HandledAt.Add(clock);
            _pending = MonitorMessage.Argument(message, 1);
            Arguments.Add(_pending);
        }

        public async CoreTask PerformAsync(CoreContext ctx)
        {
            if (_pending >= 0) await ctx.Write(address, _pending);
            _pending = -1;
        }
    }

    private static (Recorder Recorder, SharedMemory Memory, long Address, RunOutcome Outcome) Run(bool onArrival)
    {
        var emulation = new Emulation(TestMachines.Get("amd-2x2"));
        var registry = new ChannelRegistry(emulation);
        var address = emulation.Memory.Allocate(1, 0);
        var receiver = new CoreMonitor(0, registry);
        receiver.Connect(1);
        receiver.Connect(2);
        var recorder = new Recorder(onArrival, address);
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
        return (recorder, emulation.Memory, address, emulation.RunWithin(100_000));
    }

    [Fact]
    public void A_handler_performs_its_memory_effects_after_each_message()
    {
        var (recorder, memory, address, outcome) = Run(onArrival: false);
        Assert.True(outcome.Ended, outcome.Report);
        Assert.Equal([41L, 42L], recorder.Arguments.Order());
        Assert.Equal(recorder.Arguments[^1], memory.Peek(address)); // each message's store, in handling order
    }

    [Fact]
    public void A_message_handed_over_on_arrival_is_handled_before_the_next_channel_is_polled()
    {
        var onArrival = Run(onArrival: true).Recorder.HandledAt;
        var afterPass = Run(onArrival: false).Recorder.HandledAt;
        Assert.True(onArrival[0] < afterPass[0], $"first message handled at cycle {onArrival[0]} on arrival, {afterPass[0]} after the pass");
    }
}
