using MkVerified.Kernel.Monitor;
using MkVerified.Kernel.Skb;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Agreement;

/// <summary>The five agreement messages. Kind values are part of the wire layout.</summary>
public enum AgreementKind
{
    Prepare = 1,
    Vote = 2,
    Commit = 3,
    Abort = 4,
    Ack = 5,
    /// <summary>The rest of a prepare's participant mask when the set reaches beyond core 255.</summary>
    PrepareMore = 6,
}

/// <summary>
/// A vote (or ack) summed over a subtree: yes and no counts, the first core that voted no and the agreement that
/// held its lock (both -1 when none). An ack is a reply with <see cref="Yes"/> = cores acknowledged.
/// </summary>
public readonly record struct Reply(long Yes, long No, int FirstNo, long BlockedBy)
{
    public static Reply YesVote => new(1, 0, -1, -1);
    public static Reply NoVote(int core, long blockedBy) => new(0, 1, core, blockedBy);
    public static Reply Acks(long count) => new(count, 0, -1, -1);
}

/// <summary>
/// Wire layout of agreement messages (protocol id 1; W0 = instance id, see <see cref="MonitorMessage"/>):
/// <list type="bullet">
/// <item>Prepare: W1 object, W2 root (bits 0..23) | tree kind &lt;&lt; 24 | ticket &lt;&lt; 32 (the operation's Lamport
/// timestamp, bits 32..62); when every participant is below core 256, W3..W6 are the participant set as a 256-bit
/// mask and bit 63 of W2 is clear (one message); otherwise bit 63 is set, W3 is the mask's length in 64-bit words, W4..W6
/// its first three words, and PrepareMore messages (W1..W6: the next six words each) follow on the same channel;</item>
/// <item>Vote: W1 yes count, W2 no count, W3 first no-voter + 1 (0: none), W4 the instance holding its lock + 1 (0: none);</item>
/// <item>Commit, Abort: no arguments;</item>
/// <item>Ack: W1 number of cores acknowledged in the subtree.</item>
/// </list>
/// Every node rebuilds the tree from (root, kind, participants) with its own copy of the SKB, so trees are never shared.
/// </summary>
public static class AgreementMessages
{
    public const int ProtocolId = 1;
    public const int MaxCores = 256;
    public const long MaxTicket = int.MaxValue;

    /// <summary>The prepare for <paramref name="spec"/>: one message, or (participants beyond core 255) a prepare and its PrepareMore messages.</summary>
    public static UrpcMessage[] Prepare(AgreementSpec spec)
    {
        if (spec.Root is < 0 or >= 1 << 24) throw new ArgumentOutOfRangeException(nameof(spec), $"an agreement's root must be a core 0..{(1 << 24) - 1}, not {spec.Root}");
        if (spec.Ticket is < 0 or > MaxTicket) throw new ArgumentOutOfRangeException(nameof(spec), $"an agreement's ticket must be in 0..{MaxTicket}, not {spec.Ticket}");
        var max = spec.Participants.Count == 0 ? 0 : spec.Participants.Max();
        var words = new long[Math.Max(4, max / 64 + 1)];
        foreach (var c in spec.Participants)
        {
            if (c < 0) throw new ArgumentOutOfRangeException(nameof(spec), $"agreement participants must be cores 0 or above, not {c}");
            words[c >> 6] |= 1L << (c & 63);
        }
        var w2 = (long)(uint)spec.Root | (long)(byte)spec.Kind << 24 | spec.Ticket << 32;
        if (max < MaxCores)
            return [MonitorMessage.Create(ProtocolId, (int)AgreementKind.Prepare, spec.Instance, spec.Object, w2, words[0], words[1], words[2], words[3])];
        var more = (words.Length - 3 + 5) / 6;
        var messages = new UrpcMessage[1 + more];
        messages[0] = MonitorMessage.Create(ProtocolId, (int)AgreementKind.Prepare, spec.Instance, spec.Object, w2 | long.MinValue, words.Length, words[0], words[1], words[2]);
        for (var i = 0; i < more; i++)
        {
            long W(int k) => 3 + i * 6 + k < words.Length ? words[3 + i * 6 + k] : 0;
            messages[1 + i] = MonitorMessage.Create(ProtocolId, (int)AgreementKind.PrepareMore, spec.Instance, W(0), W(1), W(2), W(3), W(4), W(5));
        }
        return messages;
    }

    /// <summary>Whether this prepare is followed by PrepareMore messages; then <see cref="MaskWords"/> is the mask's length.</summary>
    public static bool IsLongPrepare(in UrpcMessage m) => m.W2 < 0;

    public static int MaskWords(in UrpcMessage m) => IsLongPrepare(m) ? (int)m.W3 : 4;

    /// <summary>The spec without participants, and the mask words this message carries.</summary>
    public static AgreementSpec ReadPrepareHeader(in UrpcMessage m, List<long> mask)
    {
        if (IsLongPrepare(m)) { mask.Add(m.W4); mask.Add(m.W5); mask.Add(m.W6); }
        else { mask.Add(m.W3); mask.Add(m.W4); mask.Add(m.W5); mask.Add(m.W6); }
        var w2 = m.W2 & long.MaxValue;
        return new AgreementSpec(m.W0, m.W1, (int)(w2 & 0xFFFFFF), (TreeKind)(w2 >> 24 & 0xFF), []) { Ticket = w2 >> 32 };
    }

    public static void ReadPrepareMore(in UrpcMessage m, List<long> mask, int words)
    {
        for (var k = 1; k <= 6 && mask.Count < words; k++) mask.Add(m[k]);
    }

    public static IReadOnlyList<int> Participants(List<long> mask)
    {
        var participants = new List<int>();
        for (var w = 0; w < mask.Count; w++)
            for (var b = 0; b < 64; b++)
                if ((mask[w] >> b & 1) != 0) participants.Add(w * 64 + b);
        return participants;
    }

    /// <summary>Reads a one-message prepare (participants below core 256).</summary>
    public static AgreementSpec ReadPrepare(in UrpcMessage m)
    {
        if (IsLongPrepare(m)) throw new ArgumentException("a long prepare needs its PrepareMore messages", nameof(m));
        var mask = new List<long>(4);
        var spec = ReadPrepareHeader(m, mask);
        return spec with { Participants = Participants(mask) };
    }

    public static UrpcMessage Vote(long instance, Reply r) =>
        MonitorMessage.Create(ProtocolId, (int)AgreementKind.Vote, instance, r.Yes, r.No, r.FirstNo + 1, r.BlockedBy + 1);

    public static UrpcMessage Ack(long instance, long count) =>
        MonitorMessage.Create(ProtocolId, (int)AgreementKind.Ack, instance, count);

    public static UrpcMessage Decision(long instance, bool commit) =>
        MonitorMessage.Create(ProtocolId, (int)(commit ? AgreementKind.Commit : AgreementKind.Abort), instance);

    public static Reply ReadVote(in UrpcMessage m) => new(m.W1, m.W2, (int)m.W3 - 1, m.W4 - 1);

    public static Reply ReadAck(in UrpcMessage m) => Reply.Acks(m.W1);
}
