namespace MkVerified.Kernel.Caps;

/// <summary>
/// Hands out RAM regions and takes them back on cleanup. It lives on one core (its monitor receives the returns);
/// it counts every return so checkers can tell that memory came back exactly once.
/// </summary>
public sealed class MemoryServer(int core, long firstBase)
{
    private readonly List<CapKey> _returned = [];
    private long _next = firstBase;

    public int Core { get; } = core;
    public IReadOnlyList<CapKey> Returned => _returned;

    public CapKey Allocate(long size)
    {
        var key = new CapKey(CapType.Ram, _next, size);
        _next += size;
        return key;
    }

    public void Return(CapKey ram) => _returned.Add(ram);
}
