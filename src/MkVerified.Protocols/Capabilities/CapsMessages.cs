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
}

/// <summary>
/// Encoding in one monitor message (<see cref="MonitorMessage"/>: protocol <see cref="Protocol"/>, the message type as
/// its kind): W0 the operation id, W1 the capability type, rights and a result code, W2/W3 the key's base and size,
/// W4..W6 message-specific words.
/// </summary>
public static class CapsMessages
{
    /// <summary>The capability protocol's id in monitor messages (agreement is 1, TLB shootdown 3).</summary>
    public const int Protocol = 2;

    public static UrpcMessage Make(CapsMessageType type, long op, CapKey key, CapRights rights = CapRights.None, CapResult result = CapResult.Ok, long w4 = 0, long w5 = 0, long w6 = 0) =>
        MonitorMessage.Create(Protocol, (int)type, op, (long)key.Type | ((long)rights << 8) | ((long)result << 16), key.Base, key.Size, w4, w5, w6);

    public static CapsMessageType Type(UrpcMessage m) => (CapsMessageType)MonitorMessage.Kind(m);

    /// <summary>The name of a capability message type as traces show it (<c>caps.Mark</c>, ...), or null for another type.</summary>
    public static string? Name(int type) =>
        type >> 8 == Protocol && Enum.IsDefined((CapsMessageType)(type & 0xFF)) ? $"caps.{(CapsMessageType)(type & 0xFF)}" : null;
    public static CapKey Key(UrpcMessage m) => new((CapType)(m.W1 & 0xFF), m.W2, m.W3);
    public static CapRights Rights(UrpcMessage m) => (CapRights)((m.W1 >> 8) & 0xFF);
    public static CapResult Result(UrpcMessage m) => (CapResult)((m.W1 >> 16) & 0xFF);
}
