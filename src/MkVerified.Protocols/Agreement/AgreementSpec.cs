using MkVerified.Kernel.Skb;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// One agreement: its instance id, the object it is about, the coordinating core (the tree's root), the tree kind,
/// and every participant (the root included; the root's monitor takes part like the others).
/// </summary>
public sealed record AgreementSpec(long Instance, long Object, int Root, TreeKind Kind, IReadOnlyList<int> Participants)
{
    /// <summary>Instance ids are unique per coordinating core: the core in the high half, its sequence number below.</summary>
    public static long InstanceId(int coordinator, int sequence) => (long)coordinator << 32 | (uint)sequence;

    public override string ToString() => $"agreement {Describe(Instance)} on object {Object} ({TreeKinds.Name(Kind)} from core {Root} over {string.Join(",", Participants)})";

    public static string Describe(long instance) => instance < 0 ? "none" : $"{instance >> 32}.{instance & 0xFFFFFFFF}";
}
