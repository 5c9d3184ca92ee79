using MkVerified.Runtime;

namespace MkVerified.Urpc;

/// <summary>
/// One writer, many readers: a ring of 64-byte slots written once and read by every reader (each pulls the same
/// line across the interconnect, which is why broadcast scales no better than unicast on the paper's AMD machines).
/// Each reader keeps its own position and epoch and writes its consumed count to its own ack line every
/// <see cref="UrpcOptions.AckThreshold"/> messages; the writer's credit is the ring minus the slowest reader's backlog.
/// </summary>
public sealed class BroadcastChannel
{
    private readonly long _base;
    private readonly long[] _ackAddress;
    private readonly int[] _readers;
    private readonly UrpcOptions _options;
    private readonly int _sendCost;
    private readonly int _receiveCost;
    // Writer-private state.
    private int _txPos;
    private int _txEpoch = 1;
    private long _txSent;
    private readonly long[] _acked;
    private readonly int[] _ackLines;
    // Reader-private state, one entry per reader (each touched only by its own core).
    private readonly int[] _rxPos;
    private readonly int[] _rxEpoch;
    private readonly long[] _rxConsumed;
    private readonly long[] _rxLastAck;

    public BroadcastChannel(Emulation emulation, int writer, IReadOnlyList<int> readers, UrpcOptions? options = null)
    {
        _options = options ?? UrpcOptions.Default;
        _options.Validate();
        Writer = writer;
        _readers = readers.ToArray();
        var topology = emulation.Topology;
        _base = emulation.Memory.Allocate(_options.Slots * SharedMemory.WordsPerLine, topology.PackageOf(writer));
        _ackAddress = _readers.Select(r => emulation.Memory.Allocate(SharedMemory.WordsPerLine, topology.PackageOf(writer))).ToArray();
        _ackLines = _ackAddress.Select(SharedMemory.LineOf).ToArray();
        _acked = new long[_readers.Length];
        _rxPos = new int[_readers.Length];
        _rxEpoch = Enumerable.Repeat(1, _readers.Length).ToArray();
        _rxConsumed = new long[_readers.Length];
        _rxLastAck = new long[_readers.Length];
        _sendCost = topology.Model.Costs.MessageSend;
        _receiveCost = topology.Model.Costs.MessageReceive;
    }

    public int Writer { get; }
    public IReadOnlyList<int> Readers => _readers;

    private long HeaderAddress(int slot) => _base + slot * SharedMemory.WordsPerLine + 7;

    public int ReaderIndex(int core) => Array.IndexOf(_readers, core) is var i and >= 0 ? i : throw new ArgumentException($"core {core} does not read this broadcast channel");

    /// <summary>The line reader <paramref name="core"/> waits on for its next message.</summary>
    public int IncomingLine(int core) => SharedMemory.LineOf(HeaderAddress(_rxPos[ReaderIndex(core)]));

    /// <summary>Writes one message into the shared ring (the writer only).</summary>
    public async CoreTask SendAsync(CoreContext ctx, UrpcMessage message)
    {
        if (ctx.Id != Writer) throw new InvalidOperationException($"core {ctx.Id} is not the writer of this broadcast channel");
        ctx.Compute(_sendCost);
        while (_txSent - MinAcked() >= _options.Slots)
        {
            var progressed = false;
            var stamp = ctx.PollStamp;
            for (var i = 0; i < _readers.Length; i++)
            {
                var acked = await ctx.Read(_ackAddress[i]);
                if (acked > _acked[i])
                {
                    _acked[i] = acked;
                    progressed = true;
                }
            }
            if (!progressed) await ctx.WaitForAnyWrite(_ackLines, idle: false, "credit on a broadcast channel", stamp);
        }
        var slot = _txPos;
        var line = default(LineWords);
        for (var w = 0; w < UrpcMessage.PayloadWords; w++) line[w] = message[w];
        line[7] = UrpcHeader.Encode(_txEpoch, message.Type, 0);
        _txSent++;
        if (++_txPos == _options.Slots)
        {
            _txPos = 0;
            _txEpoch ^= 1;
        }
        await ctx.WriteLine(_base + slot * SharedMemory.WordsPerLine, line, SharedMemory.WordsPerLine);
        if (ctx.Recording) ctx.Record("send", -1, $"broadcast type {message.Type} seq {_txSent - 1}");
    }

    /// <summary>Reader <paramref name="ctx"/>'s core polls once; returns the message if a new one is there.</summary>
    public async CoreTask<UrpcMessage?> PollAsync(CoreContext ctx)
    {
        var i = ReaderIndex(ctx.Id);
        var slot = _rxPos[i];
        var header = await ctx.Read(HeaderAddress(slot));
        if (UrpcHeader.Epoch(header) != _rxEpoch[i]) return null;
        var words = await ctx.ReadLine(_base + slot * SharedMemory.WordsPerLine, UrpcMessage.PayloadWords);
        if (++_rxPos[i] == _options.Slots)
        {
            _rxPos[i] = 0;
            _rxEpoch[i] ^= 1;
        }
        _rxConsumed[i]++;
        if (_rxConsumed[i] - _rxLastAck[i] >= _options.AckThreshold)
        {
            _rxLastAck[i] = _rxConsumed[i];
            await ctx.Write(_ackAddress[i], _rxConsumed[i]);
        }
        ctx.Compute(_receiveCost);
        var message = new UrpcMessage(UrpcHeader.Type(header), words[0], words[1], words[2], words[3], words[4], words[5], words[6]);
        if (ctx.Recording) ctx.Record("recv", Writer, $"broadcast type {message.Type}");
        return message;
    }

    private long MinAcked()
    {
        var min = long.MaxValue;
        foreach (var a in _acked) min = Math.Min(min, a);
        return _acked.Length == 0 ? _txSent : min;
    }
}
