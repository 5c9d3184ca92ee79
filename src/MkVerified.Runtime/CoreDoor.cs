namespace MkVerified.Runtime;

/// <summary>
/// One core's door to the machine it runs on: the operations behind <see cref="CoreContext"/>'s awaitables. Two
/// machines implement it: the emulator's core (<see cref="EmulatedCore"/>: every access is a scheduling point charged
/// by the coherence model) and a host thread (<see cref="Host.HostCore"/>: real memory, real time, never suspends).
/// Protocol code sees only <see cref="CoreContext"/>, so it runs unchanged on either.
/// </summary>
public abstract class CoreDoor
{
    private protected CoreDoor(int id) => Id = id;

    public int Id { get; }

    /// <summary>The lines the core's next wait watches (filled by <see cref="CoreContext"/> before the wait).</summary>
    internal int[] WaitLines = new int[4];
    internal int WaitLineCount;

    /// <summary>The core's time in cycles: modeled cycles in emulation, nominal-clock cycles of real time on a host.</summary>
    internal abstract long Now { get; }

    /// <summary>The scheduling point before an operation: true if the core goes on at once, false if it must suspend.</summary>
    internal abstract bool MayContinue();

    /// <summary>Suspends the core at a scheduling point; <paramref name="continuation"/> resumes it.</summary>
    internal abstract void Suspend(Action continuation);

    /// <summary>Called when the core resumes after a scheduling point, before its operation takes effect.</summary>
    internal abstract void Resumed();

    internal abstract long Read(long address);
    internal abstract void Write(long address, long value);

    /// <summary>Adds <paramref name="operand"/> (compare null) or stores it if the word equals compare; returns the previous value.</summary>
    internal abstract long Atomic(long address, long operand, long? compare);

    internal abstract LineWords ReadLine(long address, int count);

    /// <summary>Writes the words of a burst in order, the last one (a URPC slot's header) last and with release ordering.</summary>
    internal abstract void WriteLine(long address, in LineWords words, int count);

    /// <summary>True (the wait is over) if a wait line changed since the core last read it (or was written after <paramref name="since"/>); a host thread spins here until one does.</summary>
    internal abstract bool WaitEnded(bool idle, string waitingFor, long since);

    /// <summary>Suspends the core until another core writes one of its wait lines.</summary>
    internal abstract void Block(bool idle, string waitingFor, Action continuation);

    internal abstract long PollStamp { get; }
    internal abstract void Compute(long cycles);
    internal abstract void SendInterrupt(int target);
    internal abstract bool InterruptPending();
    internal abstract void BlockForInterrupt(bool idle, Action continuation);
    internal abstract void TakeInterrupt();
    internal abstract bool Recording { get; }
    internal abstract void Record(string kind, int peer, string detail);
}
