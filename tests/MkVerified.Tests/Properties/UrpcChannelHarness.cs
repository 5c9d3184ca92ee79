using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Tests.Properties;

/// <summary>
/// The actual object of the URPC model-based test: one channel on a persistent 2-core emulation, driven one
/// generated operation at a time. Sends queue up for the sender core and polls/takes/drains for the receiver
/// core; each core runs a loop over its queue and is started again (it keeps its clock and cache) when new work
/// arrives after its loop ended. Nothing runs until an operation runs the emulation, with a pick policy fed by
/// generated choices, so sends and polls interleave at the level of single memory accesses.
/// </summary>
public sealed class UrpcChannelHarness
{
    public const int SenderCore = 0;
    public const int ReceiverCore = 2; // amd-2x2: one hop from core 0

    private readonly Queue<UrpcMessage> _toSend = new();
    private readonly Queue<ReceiverCommand> _receiverCommands = new();
    private readonly ScriptedPicks _picks = new();
    private long _sendsIssued;

    public UrpcChannelHarness(UrpcOptions options)
    {
        Options = options;
        Emulation = new Emulation(TestMachines.Get("amd-2x2"), _picks);
        Channel = new UrpcChannel(Emulation, SenderCore, ReceiverCore, options);
    }

    public enum ReceiverCommand { Poll, Take, Drain }

    public UrpcOptions Options { get; }
    public Emulation Emulation { get; }
    public UrpcChannel Channel { get; }

    /// <summary>Messages the receiver has taken, in the order it took them.</summary>
    public List<UrpcMessage> Taken { get; } = [];

    public void Send(UrpcMessage message)
    {
        _toSend.Enqueue(message);
        _sendsIssued++;
        if (Finished(SenderCore)) Emulation.Start(SenderCore, SenderLoop);
    }

    public void Receiver(ReceiverCommand command)
    {
        _receiverCommands.Enqueue(command);
        if (Finished(ReceiverCore)) Emulation.Start(ReceiverCore, ReceiverLoop);
    }

    /// <summary>Runs at most <paramref name="steps"/> scheduling steps, switching cores as <paramref name="picks"/> say.</summary>
    public RunOutcome Run(IReadOnlyList<int> picks, long steps)
    {
        _picks.Use(picks);
        return Emulation.Run(Emulation.Steps + steps);
    }

    private bool Finished(int core) => Emulation.CoreState(core).Status is CoreStatus.Idle or CoreStatus.Done;

    private async CoreTask SenderLoop(CoreContext ctx)
    {
        while (_toSend.TryDequeue(out var message)) await Channel.A.SendAsync(ctx, message);
    }

    private async CoreTask ReceiverLoop(CoreContext ctx)
    {
        while (_receiverCommands.TryDequeue(out var command))
        {
            switch (command)
            {
                case ReceiverCommand.Poll:
                    await Channel.B.PollAsync(ctx);
                    break;
                case ReceiverCommand.Take:
                    if (Channel.B.TryTake(ctx, out var taken)) Taken.Add(taken);
                    break;
                case ReceiverCommand.Drain:
                    while (Taken.Count < _sendsIssued) Taken.Add(await Channel.B.ReceiveAsync(ctx));
                    break;
            }
        }
    }

    /// <summary>Picks from a generated list of choices (cyclically); index 0 when the list is empty.</summary>
    private sealed class ScriptedPicks : IPickPolicy
    {
        private IReadOnlyList<int> _choices = [];
        private int _next;

        public void Use(IReadOnlyList<int> choices)
        {
            _choices = choices;
            _next = 0;
        }

        public int Pick(ReadOnlySpan<int> candidates, int current)
        {
            if (_choices.Count == 0) return 0;
            var choice = _choices[_next++ % _choices.Count];
            return choice % candidates.Length;
        }
    }
}
