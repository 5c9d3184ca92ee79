using System.Runtime.CompilerServices;

namespace MkVerified.Runtime;

// The awaitables of CoreContext, over the core's door (CoreDoor). Each is a scheduling point placed *before* the
// access: IsCompleted asks the door whether this core may go on; if not, the core suspends and the access happens in
// GetResult when the scheduler resumes it, so accesses take effect in the order the scheduler chose (in cycle order,
// in emulation). On a host thread every awaitable is already complete: the access happens at once, in real time.
// The memory operations test for the emulator's (sealed) core first, so its calls are direct and inlinable: the
// emulator's hot path costs one type test more than before the door existed, not a virtual call.

public readonly struct ReadAwaitable(CoreDoor door, long address) : ICriticalNotifyCompletion
{
    public ReadAwaitable GetAwaiter() => this;
    public bool IsCompleted => door is EmulatedCore e ? e.MayContinue() : door.MayContinue();
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation)
    {
        if (door is EmulatedCore e) e.Suspend(continuation);
        else door.Suspend(continuation);
    }
    public long GetResult() => door is EmulatedCore e ? e.Read(address) : door.Read(address);
}

public readonly struct WriteAwaitable(CoreDoor door, long address, long value) : ICriticalNotifyCompletion
{
    public WriteAwaitable GetAwaiter() => this;
    public bool IsCompleted => door is EmulatedCore e ? e.MayContinue() : door.MayContinue();
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation)
    {
        if (door is EmulatedCore e) e.Suspend(continuation);
        else door.Suspend(continuation);
    }
    public void GetResult()
    {
        if (door is EmulatedCore e) e.Write(address, value);
        else door.Write(address, value);
    }
}

/// <summary>
/// Blocks until another core writes one of the core's wait lines. Like a core spinning on cached copies, it does not
/// block at all if such a write already invalidated the core's copy since it last read the line, or (for a poller that
/// passes the write stamp taken before its polling pass) if a waited line was written after that stamp: a write
/// between the core's last look and the wait is never lost.
/// </summary>
public readonly struct WaitAwaitable(CoreDoor door, bool idle, string waitingFor, long since) : ICriticalNotifyCompletion
{
    public WaitAwaitable GetAwaiter() => this;
    public bool IsCompleted => door.WaitEnded(idle, waitingFor, since);
    public void OnCompleted(Action continuation) => door.Block(idle, waitingFor, continuation);
    public void UnsafeOnCompleted(Action continuation) => door.Block(idle, waitingFor, continuation);
    public void GetResult() => door.Resumed();
}

/// <summary>
/// Reads <c>count</c> consecutive words of one line as one coherence transaction (a burst of loads hits after the
/// first): one scheduling point, one directory lookup, plus a hit for each further word.
/// </summary>
public readonly struct ReadLineAwaitable(CoreDoor door, long address, int count) : ICriticalNotifyCompletion
{
    public ReadLineAwaitable GetAwaiter() => this;
    public bool IsCompleted => door is EmulatedCore e ? e.MayContinue() : door.MayContinue();
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation)
    {
        if (door is EmulatedCore e) e.Suspend(continuation);
        else door.Suspend(continuation);
    }
    public LineWords GetResult() => door is EmulatedCore e ? e.ReadLine(address, count) : door.ReadLine(address, count);
}

/// <summary>
/// Writes <c>count</c> consecutive words of one line as one coherence transaction (stores to a line the core owns
/// drain back to back, faster than any remote request can steal the line): one scheduling point. Like a single store
/// it goes through the store buffer: the core goes on, the line becomes visible when the store completes.
/// </summary>
public readonly struct WriteLineAwaitable(CoreDoor door, long address, LineWords words, int count) : ICriticalNotifyCompletion
{
    private readonly LineWords _words = words;
    public WriteLineAwaitable GetAwaiter() => this;
    public bool IsCompleted => door is EmulatedCore e ? e.MayContinue() : door.MayContinue();
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation)
    {
        if (door is EmulatedCore e) e.Suspend(continuation);
        else door.Suspend(continuation);
    }
    public void GetResult()
    {
        if (door is EmulatedCore e) e.WriteLine(address, in _words, count);
        else door.WriteLine(address, in _words, count);
    }
}

/// <summary>
/// An atomic read-modify-write (x86 lock add / lock cmpxchg): it drains the core's stores, then one exclusive fetch of the line; the core waits for it.
/// With <c>compare</c> null it adds <c>operand</c>; otherwise it stores <c>operand</c> only if the word equals <c>compare</c>.
/// Returns the word's previous value.
/// </summary>
public readonly struct AtomicAwaitable(CoreDoor door, long address, long operand, long? compare) : ICriticalNotifyCompletion
{
    public AtomicAwaitable GetAwaiter() => this;
    public bool IsCompleted => door is EmulatedCore e ? e.MayContinue() : door.MayContinue();
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation)
    {
        if (door is EmulatedCore e) e.Suspend(continuation);
        else door.Suspend(continuation);
    }
    public long GetResult() => door is EmulatedCore e ? e.Atomic(address, operand, compare) : door.Atomic(address, operand, compare);
}

/// <summary>Waits until an interrupt is pending, then takes it (the clock moves to its arrival). Not a memory access.</summary>
public readonly struct InterruptAwaitable(CoreDoor door, bool idle) : ICriticalNotifyCompletion
{
    public InterruptAwaitable GetAwaiter() => this;
    public bool IsCompleted => door.InterruptPending();
    public void OnCompleted(Action continuation) => door.BlockForInterrupt(idle, continuation);
    public void UnsafeOnCompleted(Action continuation) => door.BlockForInterrupt(idle, continuation);
    public void GetResult() => door.TakeInterrupt();
}

/// <summary>A scheduling point without a memory access: core-local work that others can observe (a TLB invalidation) lands in time order.</summary>
public readonly struct YieldAwaitable(CoreDoor door) : ICriticalNotifyCompletion
{
    public YieldAwaitable GetAwaiter() => this;
    public bool IsCompleted => door is EmulatedCore e ? e.MayContinue() : door.MayContinue();
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);
    public void UnsafeOnCompleted(Action continuation)
    {
        if (door is EmulatedCore e) e.Suspend(continuation);
        else door.Suspend(continuation);
    }
    public void GetResult() => door.Resumed();
}
