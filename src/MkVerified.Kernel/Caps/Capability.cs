namespace MkVerified.Kernel.Caps;

/// <summary>
/// What a capability refers to: its type and memory range. Capabilities with equal keys are copies of one object
/// (siblings in the derivation tree); a key strictly inside another, of a type derived from it, is a descendant.
/// </summary>
public readonly record struct CapKey(CapType Type, long Base, long Size)
{
    public long End => Base + Size;

    public bool Overlaps(long b, long s) => Base < b + s && b < End;

    /// <summary>True when this key is a (transitive) descendant of <paramref name="ancestor"/> (Barrelfish's is_ancestor, inverted).</summary>
    public bool IsDescendantOf(CapKey ancestor) =>
        this != ancestor && Base >= ancestor.Base && End <= ancestor.End
        && (RetypeRules.Rank(Type) > RetypeRules.Rank(ancestor.Type) || (Type == ancestor.Type && Type == CapType.Frame && Size < ancestor.Size));

    /// <summary>A copy of <paramref name="other"/> or a descendant of it: what a revoke of <paramref name="other"/> removes.</summary>
    public bool IsRelatedTo(CapKey other) => this == other || IsDescendantOf(other);

    public override string ToString() => $"{Type}[{Base:x}+{Size:x}]";
}

/// <summary>One capability in one slot: the object's key and the rights of this copy.</summary>
public readonly record struct Capability(CapKey Key, CapRights Rights)
{
    public override string ToString() => $"{Key}/{(int)Rights}";
}

/// <summary>The answer an operation gives its caller. Every failure leaves the state as it was (never half-applied).</summary>
public enum CapResult
{
    Ok,
    /// <summary>The capability is busy (locked, being deleted or revoked, or its owner is moving): try again.</summary>
    Retry,
    /// <summary>The slot is empty.</summary>
    NotFound,
    /// <summary>The retype breaks the type's size rules.</summary>
    Invalid,
    /// <summary>The retype overlaps a live descendant of the source.</summary>
    Overlap,
    /// <summary>The destination CNode has no free slot.</summary>
    NoSpace,
}
