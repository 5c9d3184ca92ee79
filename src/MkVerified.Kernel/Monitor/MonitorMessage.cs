using MkVerified.Urpc;

namespace MkVerified.Kernel.Monitor;

/// <summary>
/// How monitor messages use a URPC message. Layout:
/// <list type="bullet">
/// <item>type = protocol &lt;&lt; 8 | kind (protocol 1..126 names the handler, kind 0..255 the message within the protocol);</item>
/// <item>W0 = instance id (one run of the protocol: an agreement, a revoke, a shootdown);</item>
/// <item>W1..W6 = the protocol's arguments.</item>
/// </list>
/// </summary>
public static class MonitorMessage
{
    public const int MaxProtocol = 126;
    public const int MaxKind = 255;
    public const int Arguments = UrpcMessage.PayloadWords - 1;

    public static UrpcMessage Create(int protocol, int kind, long instance, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0, long a6 = 0)
    {
        if (protocol < 1 || protocol > MaxProtocol) throw new ArgumentOutOfRangeException(nameof(protocol), $"protocol id {protocol} is outside 1..{MaxProtocol}");
        if (kind < 0 || kind > MaxKind) throw new ArgumentOutOfRangeException(nameof(kind), $"message kind {kind} is outside 0..{MaxKind}");
        return new UrpcMessage(protocol << 8 | kind, instance, a1, a2, a3, a4, a5, a6);
    }

    public static int Protocol(in UrpcMessage message) => message.Type >> 8;

    public static int Kind(in UrpcMessage message) => message.Type & 0xFF;

    public static long Instance(in UrpcMessage message) => message.W0;

    /// <summary>Argument 1..6 (W1..W6).</summary>
    public static long Argument(in UrpcMessage message, int index) =>
        index is >= 1 and <= Arguments ? message[index] : throw new ArgumentOutOfRangeException(nameof(index), $"monitor messages have arguments 1..{Arguments}");
}
