using System.Runtime.CompilerServices;

namespace MkVerified.Runtime;

// The awaitables of CoreContext. Each is a scheduling point placed *before* the access: IsCompleted asks the
// scheduler whether this core may go on; if not, the core suspends and the access happens in GetResult when the
// scheduler resumes it, so accesses take effect in the order the scheduler chose (in cycle order, in emulation).

public readonly struct ReadAwaitable(Emulation emulation, EmulatedCore core, long address) : ICriticalNotifyCompletion
{
    public ReadAwaitable GetAwaiter() => this;
    public bool IsCompleted => emulation.MayContinue(core);
    public void OnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void UnsafeOnCompleted(Action continuation) => emulation.Yield(core, continuation);

    public long GetResult()
    {
        emulation.CheckCurrent(core);
        var memory = emulation.Memory;
        memory.Accesses++;
        var line = SharedMemory.LineOf(address);
        emulation.Observer?.Accessed(core.Id, line, false);
        core.Clock = memory.Directory.Read(core.Id, line, core.Clock);
        return memory.Load(address);
    }
}

public readonly struct WriteAwaitable(Emulation emulation, EmulatedCore core, long address, long value) : ICriticalNotifyCompletion
{
    public WriteAwaitable GetAwaiter() => this;
    public bool IsCompleted => emulation.MayContinue(core);
    public void OnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void UnsafeOnCompleted(Action continuation) => emulation.Yield(core, continuation);

    public void GetResult()
    {
        emulation.CheckCurrent(core);
        var memory = emulation.Memory;
        memory.Accesses++;
        var line = SharedMemory.LineOf(address);
        emulation.Observer?.Accessed(core.Id, line, true);
        core.Clock = memory.Directory.Store(core.Id, line, core.Clock, out var visibleAt);
        memory.Store(address, value);
        memory.Stamp(line);
        emulation.WakeWaiters(line, core.Id, visibleAt);
    }
}

/// <summary>
/// Blocks until another core writes one of the core's wait lines. Like a core spinning on cached copies, it does not
/// block at all if such a write already invalidated the core's copy since it last read the line, or (for a poller that
/// passes the write stamp taken before its polling pass) if a waited line was written after that stamp: a write
/// between the core's last look and the wait is never lost.
/// </summary>
public readonly struct WaitAwaitable(Emulation emulation, EmulatedCore core, bool idle, string waitingFor, long since) : ICriticalNotifyCompletion
{
    public WaitAwaitable GetAwaiter() => this;

    public bool IsCompleted
    {
        get
        {
            if (emulation.WaitLineChanged(core)) return true; // reports the wait lines to the observer as read
            if (since < 0) return false;
            for (var i = 0; i < core.WaitLineCount; i++)
                if (emulation.Memory.WrittenSince(core.WaitLines[i], since)) return true;
            return false;
        }
    }
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        core.IdleWait = idle;
        core.WaitingFor = waitingFor;
        emulation.Block(core, continuation);
    }

    public void GetResult() => emulation.CheckCurrent(core);
}

/// <summary>
/// Reads <c>count</c> consecutive words of one line as one coherence transaction (a burst of loads hits after the
/// first): one scheduling point, one directory lookup, plus a hit for each further word.
/// </summary>
public readonly struct ReadLineAwaitable(Emulation emulation, EmulatedCore core, long address, int count) : ICriticalNotifyCompletion
{
    public ReadLineAwaitable GetAwaiter() => this;
    public bool IsCompleted => emulation.MayContinue(core);
    public void OnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void UnsafeOnCompleted(Action continuation) => emulation.Yield(core, continuation);

    public LineWords GetResult()
    {
        emulation.CheckCurrent(core);
        var memory = emulation.Memory;
        memory.Accesses++;
        var line = SharedMemory.LineOf(address);
        emulation.Observer?.Accessed(core.Id, line, false);
        core.Clock = memory.Directory.Read(core.Id, line, core.Clock) + (count - 1) * (long)memory.HitCost;
        var words = default(LineWords);
        for (var i = 0; i < count; i++) words[i] = memory.Load(address + i);
        return words;
    }
}

/// <summary>
/// Writes <c>count</c> consecutive words of one line as one coherence transaction (stores to a line the core owns
/// drain back to back, faster than any remote request can steal the line): one scheduling point. Like a single store
/// it goes through the store buffer: the core goes on, the line becomes visible when the store completes.
/// </summary>
public readonly struct WriteLineAwaitable(Emulation emulation, EmulatedCore core, long address, LineWords words, int count) : ICriticalNotifyCompletion
{
    public WriteLineAwaitable GetAwaiter() => this;
    public bool IsCompleted => emulation.MayContinue(core);
    public void OnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void UnsafeOnCompleted(Action continuation) => emulation.Yield(core, continuation);

    public void GetResult()
    {
        emulation.CheckCurrent(core);
        var memory = emulation.Memory;
        memory.Accesses++;
        var line = SharedMemory.LineOf(address);
        emulation.Observer?.Accessed(core.Id, line, true);
        core.Clock = memory.Directory.Store(core.Id, line, core.Clock, out var visibleAt) + (count - 1) * (long)memory.HitCost;
        for (var i = 0; i < count; i++) memory.Store(address + i, words[i]);
        memory.Stamp(line);
        emulation.WakeWaiters(line, core.Id, visibleAt);
    }
}

/// <summary>
/// An atomic read-modify-write (x86 lock add / lock cmpxchg): it drains the core's stores, then one exclusive fetch of the line; the core waits for it.
/// With <c>compare</c> null it adds <c>operand</c>; otherwise it stores <c>operand</c> only if the word equals <c>compare</c>.
/// Returns the word's previous value.
/// </summary>
public readonly struct AtomicAwaitable(Emulation emulation, EmulatedCore core, long address, long operand, long? compare) : ICriticalNotifyCompletion
{
    public AtomicAwaitable GetAwaiter() => this;
    public bool IsCompleted => emulation.MayContinue(core);
    public void OnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void UnsafeOnCompleted(Action continuation) => emulation.Yield(core, continuation);

    public long GetResult()
    {
        emulation.CheckCurrent(core);
        var memory = emulation.Memory;
        memory.Accesses++;
        var line = SharedMemory.LineOf(address);
        emulation.Observer?.Accessed(core.Id, line, true);
        core.Clock = memory.Directory.Write(core.Id, line, core.Clock);
        var old = memory.Load(address);
        if (compare is not { } expected) memory.Store(address, old + operand);
        else if (old == expected) memory.Store(address, operand);
        memory.Stamp(line);
        emulation.WakeWaiters(line, core.Id, core.Clock);
        return old;
    }
}

/// <summary>Waits until an interrupt is pending, then takes it (the clock moves to its arrival). Not a memory access.</summary>
public readonly struct InterruptAwaitable(Emulation emulation, EmulatedCore core, bool idle) : ICriticalNotifyCompletion
{
    public InterruptAwaitable GetAwaiter() => this;
    public bool IsCompleted
    {
        get
        {
            emulation.Observer?.Accessed(core.Id, IStepObserver.InterruptLine(core.Id), false);
            return core.PendingInterrupts.Count > 0;
        }
    }
    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        core.IdleWait = idle;
        core.WaitingFor = "an interrupt";
        emulation.BlockForInterrupt(core, continuation);
    }

    public void GetResult()
    {
        emulation.CheckCurrent(core);
        emulation.TryTakeInterrupt(core);
    }
}

/// <summary>A scheduling point without a memory access: core-local work that others can observe (a TLB invalidation) lands in time order.</summary>
public readonly struct YieldAwaitable(Emulation emulation, EmulatedCore core) : ICriticalNotifyCompletion
{
    public YieldAwaitable GetAwaiter() => this;
    public bool IsCompleted => emulation.MayContinue(core);
    public void OnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void UnsafeOnCompleted(Action continuation) => emulation.Yield(core, continuation);
    public void GetResult() => emulation.CheckCurrent(core);
}
