namespace MkVerified.Urpc;

/// <summary>
/// The header word, written last into a slot: bit 0 the epoch, bits 1..15 the message type,
/// bits 16..31 the piggybacked acknowledgement (messages consumed from the reverse ring, mod 2^16).
/// </summary>
internal static class UrpcHeader
{
    // 0x7FFF stays reserved (it marked ack messages before explicit acks moved to the ack line).
    public const int MaxType = 0x7FFE;

    public static long Encode(int epoch, int type, long ackCount) =>
        (long)(epoch & 1) | ((long)(type & 0x7FFF) << 1) | ((ackCount & 0xFFFF) << 16);

    public static int Epoch(long header) => (int)(header & 1);
    public static int Type(long header) => (int)((header >> 1) & 0x7FFF);
    public static int Ack16(long header) => (int)((header >> 16) & 0xFFFF);

    /// <summary>Widens a 16-bit ack to the full count, given the last known full count (acks never go backwards).</summary>
    public static long Widen(long known, int ack16)
    {
        var delta = (ack16 - (int)(known & 0xFFFF)) & 0xFFFF;
        return known + delta;
    }
}
