namespace MkVerified.Kernel.Caps;

/// <summary>
/// Which type may be retyped into which, and the size rules of each object type (sizes in bytes, offsets aligned to
/// the object's size). A retype must make something different from its source (a Frame only into a smaller Frame).
/// </summary>
public static class RetypeRules
{
    public const long PageSize = 4096;

    /// <summary>Position in the derivation order: descendants rank higher than their ancestors (Frame may nest in Frame).</summary>
    public static int Rank(CapType type) => type switch
    {
        CapType.PhysAddr => 0,
        CapType.Ram => 1,
        CapType.Frame => 2,
        _ => 3,
    };

    public static bool MayRetype(CapType from, CapType to) => (from, to) switch
    {
        (CapType.PhysAddr, CapType.Ram) => true,
        (CapType.Ram, CapType.Frame or CapType.CNode or CapType.PageTable or CapType.Dispatcher or CapType.EndPoint) => true,
        (CapType.Frame, CapType.Frame) => true,
        _ => false,
    };

    /// <summary>The size unit of a type: its objects are a multiple of it (Frame, Ram) or exactly it (the rest).</summary>
    public static long Unit(CapType type) => type switch
    {
        CapType.Dispatcher => 1024,
        CapType.EndPoint => 64,
        _ => PageSize,
    };

    private static bool SizeFits(CapType type, long size) => type switch
    {
        CapType.Frame or CapType.Ram or CapType.PhysAddr => size > 0 && size % PageSize == 0,
        _ => size == Unit(type),
    };

    /// <summary>The key a retype of <paramref name="source"/> would create, or null when the rules forbid it.</summary>
    public static CapKey? Result(CapKey source, CapType type, long offset, long size)
    {
        if (!MayRetype(source.Type, type) || !SizeFits(type, size)) return null;
        if (offset < 0 || offset % Unit(type) != 0 || offset + size > source.Size) return null;
        var key = new CapKey(type, source.Base + offset, size);
        return key.IsDescendantOf(source) ? key : null;
    }
}
