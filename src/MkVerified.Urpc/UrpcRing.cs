using MkVerified.Runtime;

namespace MkVerified.Urpc;

/// <summary>
/// One direction of a channel: a ring of 64-byte slots in modeled memory (7 payload words, header word last), an ack
/// line the receiver writes its consumed count to, plus checker-only shadow state that asserts the channel's guarantees. The shadow state is never read by the
/// protocol; it lets exploration name exactly which guarantee a schedule broke.
/// </summary>
public sealed class UrpcRing
{
    private readonly long[] _ghostSeq;
    private readonly bool[] _ghostConsumed;
    private readonly bool[] _ghostComplete;
    private readonly UrpcMessage[] _ghostMessage;
    private readonly bool _writeAndGhostAreOneStep;

    public UrpcRing(SharedMemory memory, int slots, int homePackage, int from, int to)
    {
        Slots = slots;
        From = from;
        To = to;
        Base = memory.Allocate(slots * SharedMemory.WordsPerLine, homePackage);
        AckAddress = memory.Allocate(SharedMemory.WordsPerLine, homePackage);
        _ghostSeq = new long[slots];
        Array.Fill(_ghostSeq, -1);
        _ghostConsumed = new bool[slots];
        _ghostComplete = new bool[slots];
        _ghostMessage = new UrpcMessage[slots];
        _writeAndGhostAreOneStep = memory.StepsAreIndivisible;
    }

    public int Slots { get; }
    public int From { get; }
    public int To { get; }
    public long Base { get; }

    /// <summary>The ring's ack line: the receiver writes how many messages it has consumed (explicit acks); the sender reads it when out of credit.</summary>
    public long AckAddress { get; }
    public int AckLine => SharedMemory.LineOf(AckAddress);

    /// <summary>Messages the receiver has acknowledged (shadow of what the sender can know).</summary>
    internal long GhostAcknowledged { get; set; }

    public long WordAddress(int slot, int word) => Base + slot * SharedMemory.WordsPerLine + word;
    public long HeaderAddress(int slot) => WordAddress(slot, 7);
    public int HeaderLine(int slot) => SharedMemory.LineOf(HeaderAddress(slot));

    internal void GhostBeginWrite(int slot, long seq, UrpcMessage message, long unacknowledged)
    {
        var old = _ghostSeq[slot];
        if (old >= 0 && !_ghostConsumed[slot])
        {
            var why = GhostAcknowledged > old
                ? "the receiver had acknowledged it before copying its payload"
                : $"{unacknowledged} messages were unacknowledged: the sender ignored its credits";
            throw new SafetyViolationException($"URPC {From}->{To}: sender overwrote slot {slot} holding unconsumed message {old} with message {seq} ({why})");
        }
        _ghostSeq[slot] = seq;
        _ghostConsumed[slot] = false;
        _ghostComplete[slot] = false;
        _ghostMessage[slot] = message;
    }

    internal void GhostEndWrite(int slot) => _ghostComplete[slot] = true;

    internal void GhostAccept(int slot, long expectedSeq)
    {
        var held = _ghostSeq[slot];
        if (held != expectedSeq)
            throw new SafetyViolationException($"URPC {From}->{To}: receiver took slot {slot} as message {expectedSeq} but the slot holds message {held} (a stale slot passed the epoch check)");
        // On host threads the sender marks the slot complete only after its burst is visible, so a receiver may
        // legitimately get here first: there the payload itself is checked (GhostConsumed compares it with what was sent).
        if (!_ghostComplete[slot] && _writeAndGhostAreOneStep)
            throw new SafetyViolationException($"URPC {From}->{To}: receiver accepted message {expectedSeq} from slot {slot} before its payload was fully written");
    }

    internal void GhostConsumed(int slot, long seq, UrpcMessage received)
    {
        if (_ghostSeq[slot] == seq && _ghostMessage[slot] != received)
            throw new SafetyViolationException($"URPC {From}->{To}: message {seq} arrived corrupted: sent {_ghostMessage[slot]}, received {received}");
        if (_ghostSeq[slot] != seq)
            throw new SafetyViolationException($"URPC {From}->{To}: message {seq} in slot {slot} was overwritten by message {_ghostSeq[slot]} while it was being read");
        _ghostConsumed[slot] = true;
    }
}
