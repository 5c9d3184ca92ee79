using MkVerified.Kernel.Caps;
using MkVerified.Kernel.Monitor;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Capabilities;

/// <summary>The inter-monitor message set (after Barrelfish's intermon.if capops messages).</summary>
public enum CapsMessageType
{
    CopyRequest = 1, Deliver, DeliverAck, Reply,
    RetypeRequest, RetypeDone, Query, QueryReply,
    Mark, MarkAck, Sweep, SweepAck,
    Move, MoveReply, OwnerUpdate, RamFree,
    RevokeRequest, RevokeDone,
    RelationAdd, RelationAck, Released, RetrieveRequest, RetrieveReply,
    /// <summary>The rest of a Move's or RetrieveReply's relation sets when they name cores beyond 63.</summary>
    MoreSets,
}

/// <summary>
/// Encoding in one monitor message (<see cref="MonitorMessage"/>: protocol <see cref="Protocol"/>, the message type as
/// its kind): W0 the operation id, W1 the capability type, rights and a result code, W2/W3 the key's base and size,
/// W4..W6 message-specific words. Move and RetrieveReply hand over the relation sets (<see cref="WithSets"/>): W4/W5
/// the first word of the copy and descendant holders; when a set names a core beyond 63, W6 is the number of words
/// per set and MoreSets messages (W1..W6: the copy sets' further words, then the descendant sets') follow on the same
/// channel; otherwise W6 is 0 and the message is whole.
/// </summary>
public static class CapsMessages
{
    /// <summary>The capability protocol's id in monitor messages (agreement is 1, TLB shootdown 3).</summary>
    public const int Protocol = 2;

    public static UrpcMessage Make(CapsMessageType type, long op, CapKey key, CapRights rights = CapRights.None, CapResult result = CapResult.Ok, long w4 = 0, long w5 = 0, long w6 = 0) =>
        MonitorMessage.Create(Protocol, (int)type, op, (long)key.Type | ((long)rights << 8) | ((long)result << 16), key.Base, key.Size, w4, w5, w6);

    public static CapsMessageType Type(UrpcMessage m) => (CapsMessageType)MonitorMessage.Kind(m);

    /// <summary>A Move or RetrieveReply with the relation sets <paramref name="copies"/> and <paramref name="descs"/>: one message, or one and its MoreSets.</summary>
    public static UrpcMessage[] WithSets(CapsMessageType type, long op, CapKey key, CoreSet copies, CoreSet descs)
    {
        var words = Math.Max(copies.WordCount, descs.WordCount);
        var first = Make(type, op, key, w4: (long)copies.Word(0), w5: (long)descs.Word(0), w6: words > 1 ? words : 0);
        if (words == 1) return [first];
        var rest = Enumerable.Range(1, words - 1).Select(copies.Word).Concat(Enumerable.Range(1, words - 1).Select(descs.Word)).ToList();
        var messages = new List<UrpcMessage> { first };
        for (var i = 0; i < rest.Count; i += MonitorMessage.Arguments)
        {
            long W(int k) => i + k < rest.Count ? (long)rest[i + k] : 0;
            messages.Add(MonitorMessage.Create(Protocol, (int)CapsMessageType.MoreSets, op, W(0), W(1), W(2), W(3), W(4), W(5)));
        }
        return [.. messages];
    }

    /// <summary>How many further words (both sets together) MoreSets messages bring after <paramref name="m"/>.</summary>
    public static int MoreSetWords(UrpcMessage m) => m.W6 > 1 ? 2 * ((int)m.W6 - 1) : 0;

    /// <summary>The copy and descendant holders a Move or RetrieveReply hands over, from its first words and the <paramref name="more"/> that followed.</summary>
    public static (CoreSet Copies, CoreSet Descs) Sets(UrpcMessage m, IReadOnlyList<ulong> more)
    {
        var half = more.Count / 2;
        return (CoreSet.FromWords([(ulong)m.W4, .. more.Take(half)]), CoreSet.FromWords([(ulong)m.W5, .. more.Skip(half)]));
    }

    /// <summary>The name of a capability message type as traces show it (<c>caps.Mark</c>, ...), or null for another type.</summary>
    public static string? Name(int type) =>
        type >> 8 == Protocol && Enum.IsDefined((CapsMessageType)(type & 0xFF)) ? $"caps.{(CapsMessageType)(type & 0xFF)}" : null;
    public static CapKey Key(UrpcMessage m) => new((CapType)(m.W1 & 0xFF), m.W2, m.W3);
    public static CapRights Rights(UrpcMessage m) => (CapRights)((m.W1 >> 8) & 0xFF);
    public static CapResult Result(UrpcMessage m) => (CapResult)((m.W1 >> 16) & 0xFF);
}
