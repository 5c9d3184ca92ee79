using MkVerified.Runtime;

namespace MkVerified.Urpc;

/// <summary>
/// One core's end of a bidirectional URPC channel: it sends into one ring and receives from the other.
/// Credits: the sender may send while fewer than <c>slots</c> messages are unacknowledged. Acks travel two ways:
/// piggybacked in every header of the reverse direction (16 bits of the consumed count), and, after
/// <see cref="UrpcOptions.AckThreshold"/> messages consumed without sending anything back, explicitly: the receiver
/// writes its consumed count into the ring's ack line, which a sender out of credit polls. Explicit acks never need
/// a slot, so two ends with full rings cannot deadlock.
/// All fields here are the owning core's private state; the rings and ack lines are the only shared memory.
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
    private readonly int[] _creditLines = new int[2];
    private int _txPos;
    private int _txEpoch = 1;
    private long _txSent;
    private long _txPeerAcked;
    private int _rxPos;
    private int _rxEpoch = 1;
    private long _rxConsumed;
    private long _rxLastAckSent;
    private long _rxTaken;

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

    /// <summary>Sends one message, waiting for credit (and draining incoming messages meanwhile) when the ring is full.</summary>
    public async CoreTask SendAsync(CoreContext ctx, UrpcMessage message)
    {
        if (message.Type < 0 || message.Type > UrpcHeader.MaxType) throw new ArgumentOutOfRangeException(nameof(message), $"message type {message.Type} is outside 0..{UrpcHeader.MaxType}");
        ctx.Compute(_sendCost);
        if (_options.Fault != UrpcFault.NoCreditCheck)
        {
            while (_txSent - _txPeerAcked >= _options.Slots)
            {
                var stamp = ctx.PollStamp;
                var explicitAck = await ctx.Read(_tx.AckAddress);
                if (explicitAck > _txPeerAcked)
                {
                    _txPeerAcked = explicitAck;
                    if (ctx.Recording) ctx.Record("credit-from-ack-line", Peer, $"peer acked {explicitAck}");
                    continue;
                }
                if (await PollAsync(ctx)) continue; // a message from the peer carries a piggybacked ack
                if (_options.Fault == UrpcFault.CreditRecheckIgnored)
                {
                    // Seeded bug: a fresh stamp and a fresh copy of the ack line, but the decision stays the first read's.
                    stamp = ctx.PollStamp;
                    await ctx.Read(_tx.AckAddress);
                }
                if (ctx.Recording) ctx.Record("credit-wait", Peer, $"{_txSent - _txPeerAcked} unacknowledged");
                _creditLines[0] = _tx.AckLine;
                _creditLines[1] = IncomingLine;
                await ctx.WaitForAnyWrite(_creditLines, idle: false, _creditWait, stamp);
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
        if (ctx.Recording) ctx.Record("recv", Peer, $"type {message.Type} seq {_rxTaken}");
        _rxTaken++;
        return true;
    }

    /// <summary>
    /// Polls the incoming ring once: if the next slot's epoch says it is new, copies it out into the inbox (for
    /// <see cref="TryTake"/>) and returns true; otherwise returns false.
    /// </summary>
    public async CoreTask<bool> PollAsync(CoreContext ctx)
    {
        var slot = _rxPos;
        var header = await ctx.Read(_rx.HeaderAddress(slot));
        if (UrpcHeader.Epoch(header) != _rxEpoch)
        {
            if (ctx.Recording) ctx.Record("poll-empty", Peer, $"slot {slot}");
            return false;
        }
        var seq = _rxConsumed;
        if (_options.GhostChecks) _rx.GhostAccept(slot, seq);
        if (_options.Fault == UrpcFault.EarlyAck) await AcknowledgeAsync(ctx); // seeded bug: ack before the copy
        var words = await ctx.ReadLine(_rx.WordAddress(slot, 0), UrpcMessage.PayloadWords);
        var message = new UrpcMessage(UrpcHeader.Type(header), words[0], words[1], words[2], words[3], words[4], words[5], words[6]);
        if (_options.GhostChecks) _rx.GhostConsumed(slot, seq, message);
        Advance(ref _rxPos, ref _rxEpoch);
        var piggybacked = UrpcHeader.Widen(_txPeerAcked, UrpcHeader.Ack16(header));
        if (piggybacked > _txPeerAcked && piggybacked <= _txSent)
        {
            _txPeerAcked = piggybacked;
            if (ctx.Recording) ctx.Record("credit-piggybacked", Peer, $"peer acked {piggybacked}");
        }
        if (_options.Fault != UrpcFault.EarlyAck) await AcknowledgeAsync(ctx);
        _inbox.Enqueue(message);
        return true;
    }

    /// <summary>Counts the slot as consumed and writes an explicit ack when enough went unacknowledged.</summary>
    private async CoreTask AcknowledgeAsync(CoreContext ctx)
    {
        _rxConsumed++;
        _rx.GhostAcknowledged = _rxConsumed;
        if (_rxConsumed - _rxLastAckSent < _options.AckThreshold) return;
        _rxLastAckSent = _rxConsumed;
        await ctx.Write(_rx.AckAddress, _rxConsumed);
        if (ctx.Recording) ctx.Record("ack", Peer, $"acks {_rxConsumed}");
    }

    private async CoreTask WriteSlotAsync(CoreContext ctx, UrpcMessage message)
    {
        var slot = _txPos;
        var seq = _txSent;
        if (_options.GhostChecks) _tx.GhostBeginWrite(slot, seq, message, _txSent - _txPeerAcked);
        _rxLastAckSent = _rxConsumed; // the header piggybacks everything consumed so far
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
