namespace MkVerified.Kernel.Caps;

/// <summary>The kinds of capability: typed references to physical memory (Barrelfish's objtype subset).</summary>
public enum CapType
{
    PhysAddr = 1,
    Ram = 2,
    Frame = 3,
    CNode = 4,
    PageTable = 5,
    Dispatcher = 6,
    EndPoint = 7,
}

/// <summary>Rights a copy carries; a copy may drop rights (mint), never add them.</summary>
[Flags]
public enum CapRights
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    Grant = 8,
    All = Read | Write | Execute | Grant,
}
