using MkVerified.Kernel.Skb;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// One agreement: its instance id, the object it is about, the coordinating core (the tree's root), the tree kind,
/// and every participant (the root included; the root's monitor takes part like the others).
/// <see cref="Ticket"/> is the operation's age: a Lamport timestamp its coordinator takes when the operation's first
/// agreement starts (0 until then), kept by every retry of the operation; the conflict rule prefers older operations.
/// </summary>
public sealed record AgreementSpec(long Instance, long Object, int Root, TreeKind Kind, IReadOnlyList<int> Participants)
{
    /// <summary>The operation's Lamport timestamp (1 or more once started; 0: not started yet).</summary>
    public long Ticket { get; init; }

    /// <summary>Instance ids are unique per coordinating core: the core in the high half, its sequence number below.</summary>
    public static long InstanceId(int coordinator, int sequence) => (long)coordinator << 32 | (uint)sequence;

    /// <summary>
    /// The conflict rule: does <paramref name="a"/> have priority over <paramref name="b"/>? Correct rule: the older
    /// operation (smaller ticket) wins, ties by the higher coordinator core; attempts of one operation (same ticket and
    /// root, never live at once) by instance id. <see cref="AgreementVariant.FixedPriority"/>: the higher instance id
    /// wins (coordinator core first), the rule before tickets, under which a low core can lose forever.
    /// </summary>
    public static bool Outranks(AgreementSpec a, AgreementSpec b, AgreementVariant variant)
    {
        if (variant == AgreementVariant.FixedPriority || a.Ticket == 0 || b.Ticket == 0) return a.Instance > b.Instance;
        if (a.Ticket != b.Ticket) return a.Ticket < b.Ticket;
        if (a.Root != b.Root) return a.Root > b.Root;
        return a.Instance > b.Instance;
    }

    public override string ToString() => $"agreement {Describe(Instance)} on object {Object} ({TreeKinds.Name(Kind)} from core {Root} over {string.Join(",", Participants)})";

    public static string Describe(long instance) => instance < 0 ? "none" : $"{instance >> 32}.{instance & 0xFFFFFFFF}";
}
