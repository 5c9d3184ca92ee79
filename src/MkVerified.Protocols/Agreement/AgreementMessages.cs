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
/// timestamp, bits 32..62), W3..W6 participant set as a 256-bit mask (so cores 0..255);</item>
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

    public static UrpcMessage Prepare(AgreementSpec spec)
    {
        Span<long> mask = stackalloc long[4];
        foreach (var c in spec.Participants)
        {
            if (c < 0 || c >= MaxCores) throw new ArgumentOutOfRangeException(nameof(spec), $"agreement participants must be cores 0..{MaxCores - 1}, not {c}");
            mask[c >> 6] |= 1L << (c & 63);
        }
        if (spec.Root is < 0 or >= 1 << 24) throw new ArgumentOutOfRangeException(nameof(spec), $"an agreement's root must be a core 0..{(1 << 24) - 1}, not {spec.Root}");
        if (spec.Ticket is < 0 or > MaxTicket) throw new ArgumentOutOfRangeException(nameof(spec), $"an agreement's ticket must be in 0..{MaxTicket}, not {spec.Ticket}");
        return MonitorMessage.Create(ProtocolId, (int)AgreementKind.Prepare, spec.Instance, spec.Object,
            (long)(uint)spec.Root | (long)(byte)spec.Kind << 24 | spec.Ticket << 32, mask[0], mask[1], mask[2], mask[3]);
    }

    public static AgreementSpec ReadPrepare(in UrpcMessage m)
    {
        var participants = new List<int>();
        for (var w = 0; w < 4; w++)
        {
            var bits = m[3 + w];
            for (var b = 0; b < 64; b++)
                if ((bits >> b & 1) != 0) participants.Add(w * 64 + b);
        }
        return new AgreementSpec(m.W0, m.W1, (int)(m.W2 & 0xFFFFFF), (TreeKind)(m.W2 >> 24 & 0xFF), participants) { Ticket = m.W2 >> 32 };
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
