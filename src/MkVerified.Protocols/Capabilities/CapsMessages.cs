using MkVerified.Kernel.Caps;
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
/// Encoding in one URPC slot: W0 the operation id, W1 the capability type, rights and a result code, W2/W3 the key's
/// base and size, W4..W6 message-specific words.
/// </summary>
public static class CapsMessages
{
    public static UrpcMessage Make(CapsMessageType type, long op, CapKey key, CapRights rights = CapRights.None, CapResult result = CapResult.Ok, long w4 = 0, long w5 = 0, long w6 = 0) =>
        new((int)type, op, (long)key.Type | ((long)rights << 8) | ((long)result << 16), key.Base, key.Size, w4, w5, w6);

    public static CapsMessageType Type(UrpcMessage m) => (CapsMessageType)m.Type;
    public static CapKey Key(UrpcMessage m) => new((CapType)(m.W1 & 0xFF), m.W2, m.W3);
    public static CapRights Rights(UrpcMessage m) => (CapRights)((m.W1 >> 8) & 0xFF);
    public static CapResult Result(UrpcMessage m) => (CapResult)((m.W1 >> 16) & 0xFF);
}
