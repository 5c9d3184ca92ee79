using MkVerified.Runtime;

namespace MkVerified.Urpc;

/// <summary>
/// One core's end of a bidirectional URPC channel: it sends into one ring and receives from the other.
/// Credits: a data message may be sent while fewer than slots-1 are unacknowledged (one slot is kept for
/// explicit acks, so two cores with full rings can still ack each other and never deadlock). Every header
/// piggybacks how many messages this end has consumed; after <see cref="UrpcOptions.AckThreshold"/> messages
/// consumed without sending anything back, an explicit ack message is sent.
/// All state here is the owning core's private state; the rings are the only shared memory.
/// </summary>
public sealed class UrpcEndpoint
{
    private readonly UrpcRing _tx;
    private readonly UrpcRing _rx;
    private readonly UrpcOptions _options;
    private readonly Queue<UrpcMessage> _inbox = new();
    private readonly string _creditWait;
    private readonly string _receiveWait;
    private readonly int _sendCost;
    private readonly int _receiveCost;
    private int _txPos;
    private int _txEpoch = 1;
    private long _txSent;
    private long _txPeerAcked;
    private int _rxPos;
    private int _rxEpoch = 1;
    private long _rxConsumed;
    private long _rxLastAckSent;

    internal UrpcEndpoint(int core, int peer, UrpcRing tx, UrpcRing rx, UrpcOptions options, int sendCost, int receiveCost)
    {
        Core = core;
        Peer = peer;
        _tx = tx;
        _rx = rx;
        _options = options;
        _sendCost = sendCost;
        _receiveCost = receiveCost;
        _creditWait = $"credit on urpc {core}->{peer}";
        _receiveWait = $"message on urpc {peer}->{core}";
    }

    public int Core { get; }
    public int Peer { get; }
    public long Sent => _txSent;
    public long Consumed => _rxConsumed;

    /// <summary>Messages already pulled from the ring and waiting to be taken.</summary>
    public int Pending => _inbox.Count;

    /// <summary>The line a poller waits on for this endpoint's next incoming message.</summary>
    public int IncomingLine => _rx.HeaderLine(_rxPos);

    public string ReceiveWaitDescription => _receiveWait;

    /// <summary>Sends one message, waiting for credit (and draining incoming messages meanwhile) when the ring is full.</summary>
    public async CoreTask SendAsync(CoreContext ctx, UrpcMessage message)
    {
        if (message.Type < 0 || message.Type > UrpcHeader.MaxType) throw new ArgumentOutOfRangeException(nameof(message), $"message type {message.Type} is outside 0..{UrpcHeader.MaxType}");
        ctx.Compute(_sendCost);
        if (_options.Fault != UrpcFault.NoCreditCheck)
        {
            while (_txSent - _txPeerAcked >= _options.Slots - 1)
            {
                if (!await PollAsync(ctx)) await ctx.WaitForWrite(IncomingLine, idle: false, _creditWait);
            }
        }
        await WriteSlotAsync(ctx, message);
        if (ctx.Recording) ctx.Record("send", Peer, $"type {message.Type} seq {_txSent - 1}");
    }

    /// <summary>Receives one message, waiting until one arrives.</summary>
    public async CoreTask<UrpcMessage> ReceiveAsync(CoreContext ctx)
    {
        while (true)
        {
            if (TryTake(ctx, out var message)) return message;
            if (!await PollAsync(ctx)) await ctx.WaitForWrite(IncomingLine, idle: false, _receiveWait);
        }
    }

    /// <summary>Takes a message already pulled from the ring, charging the receive path's local cost.</summary>
    public bool TryTake(CoreContext ctx, out UrpcMessage message)
    {
        if (!_inbox.TryDequeue(out message)) return false;
        ctx.Compute(_receiveCost);
        if (ctx.Recording) ctx.Record("recv", Peer, $"type {message.Type} seq {_rxConsumed - _inbox.Count - 1}");
        return true;
    }

    /// <summary>
    /// Polls the incoming ring once: if the next slot's epoch says it is new, copies it out (acks are absorbed,
    /// other messages queued for <see cref="TryTake"/>) and returns true; otherwise returns false.
    /// </summary>
    public async CoreTask<bool> PollAsync(CoreContext ctx)
    {
        var slot = _rxPos;
        var header = await ctx.Read(_rx.HeaderAddress(slot));
        if (UrpcHeader.Epoch(header) != _rxEpoch) return false;
        var seq = _rxConsumed;
        if (_options.GhostChecks) _rx.GhostAccept(slot, seq);
        if (_options.Fault == UrpcFault.EarlyAck) await AcknowledgeAsync(ctx);
        var words = await ctx.ReadLine(_rx.WordAddress(slot, 0), UrpcMessage.PayloadWords);
        var type = UrpcHeader.Type(header);
        var message = new UrpcMessage(type, words[0], words[1], words[2], words[3], words[4], words[5], words[6]);
        if (_options.GhostChecks) _rx.GhostConsumed(slot, seq, message);
        Advance(ref _rxPos, ref _rxEpoch);
        _txPeerAcked = UrpcHeader.Widen(_txPeerAcked, UrpcHeader.Ack16(header));
        if (_options.Fault != UrpcFault.EarlyAck) await AcknowledgeAsync(ctx);
        if (type != UrpcHeader.AckType) _inbox.Enqueue(message);
        return true;
    }

    /// <summary>Counts the slot as consumed and sends an explicit ack when enough went unacknowledged.</summary>
    private async CoreTask AcknowledgeAsync(CoreContext ctx)
    {
        _rxConsumed++;
        _rx.GhostAcknowledged = _rxConsumed;
        if (_rxConsumed - _rxLastAckSent < _options.AckThreshold) return;
        if (_txSent - _txPeerAcked >= _options.Slots) return; // no slot even for an ack: the peer's next message frees one, retry then
        await WriteSlotAsync(ctx, new UrpcMessage(UrpcHeader.AckType, 0, 0, 0, 0, 0, 0, 0));
        if (ctx.Recording) ctx.Record("ack", Peer, $"acks {_rxConsumed}");
    }

    private async CoreTask WriteSlotAsync(CoreContext ctx, UrpcMessage message)
    {
        var slot = _txPos;
        var seq = _txSent;
        if (_options.GhostChecks) _tx.GhostBeginWrite(slot, seq, message, _txSent - _txPeerAcked);
        _rxLastAckSent = _rxConsumed;
        var header = UrpcHeader.Encode(_txEpoch, message.Type, _rxConsumed);
        _txSent++;
        Advance(ref _txPos, ref _txEpoch);
        var line = default(LineWords);
        line[0] = message.W0;
        line[1] = message.W1;
        line[2] = message.W2;
        line[3] = message.W3;
        line[4] = message.W4;
        line[5] = message.W5;
        line[6] = message.W6;
        line[7] = header;
        if (_options.Fault == UrpcFault.HeaderBeforePayload)
        {
            // Seeded bug: the header store is issued on its own before the payload, so the slot looks complete early.
            await ctx.Write(_tx.HeaderAddress(slot), header);
            await ctx.WriteLine(_tx.WordAddress(slot, 0), line, UrpcMessage.PayloadWords);
        }
        else
        {
            // Payload words then the header, in one burst to the slot's line: the header is the last word stored.
            await ctx.WriteLine(_tx.WordAddress(slot, 0), line, SharedMemory.WordsPerLine);
        }
        if (_options.GhostChecks) _tx.GhostEndWrite(slot);
    }

    private void Advance(ref int pos, ref int epoch)
    {
        pos++;
        if (pos < _options.Slots) return;
        pos = 0;
        if (_options.Fault != UrpcFault.EpochWrap) epoch ^= 1;
    }
}
