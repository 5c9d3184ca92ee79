namespace MkVerified.Runtime;

/// <summary>The scheduler's record of one logical core: its clock, status, and where it is suspended.</summary>
public sealed class EmulatedCore
{
    internal EmulatedCore(int id) => Id = id;

    public int Id { get; }

    /// <summary>Modeled cycles this core has run for (its local time).</summary>
    public long Clock { get; internal set; }

    public CoreStatus Status { get; internal set; } = CoreStatus.Idle;

    /// <summary>What the core waits for while blocked (for deadlock reports and traces).</summary>
    /// <summary>Cycles this core spent blocked waiting for a write (its clock jumped forward on wake-up).</summary>
    public long WaitedCycles { get; internal set; }

    public string WaitingFor { get; internal set; } = "";

    /// <summary>True when the core blocked in a service loop with nothing to do: all-idle means quiescent, not deadlocked.</summary>
    public bool IdleWait { get; internal set; }

    /// <summary>Arrival cycles of interrupts sent to this core and not yet taken.</summary>
    internal readonly Queue<long> PendingInterrupts = new();
    internal bool WaitsForInterrupt;

    internal Action? Continuation;
    internal CoreTask? Body;
    internal int[] WaitLines = new int[4];
    internal int WaitLineCount;
    internal int HeapIndex = -1;
}
