using System.Diagnostics;

namespace MkVerified.Runtime.Host;

/// <summary>
/// A core of the threads backend: an OS thread on a host CPU. Nothing suspends: every operation happens at once on
/// real memory (volatile loads and stores, interlocked atomics; a burst stores its last word, a URPC header, last and
/// with release ordering). A wait spins on its lines until one differs from what this core last read of it (or, for
/// words it did not read last, from what they held when the wait began), so a write between the core's last look and the
/// wait is never lost, as in emulation. The clock is the host's timestamp counter in cycles of the model's clock.
/// </summary>
public sealed class HostCore : CoreDoor
{
    private const int SpinsBeforeYield = 1000; // about 35 µs of pause instructions: far above a cache-line round trip
    private readonly HostMachine _machine;
    private long[] _words = [];
    private int _offset;

    // What this core last read or wrote of each word, and which words of each line that knowledge covers (a bit per word).
    private long[] _seen = [];
    private byte[] _known = [];

    internal HostCore(HostMachine machine, int id) : base(id) => _machine = machine;

    internal HostCoreState State { get => (HostCoreState)Volatile.Read(ref _state); set => Volatile.Write(ref _state, (int)value); }
    private int _state;

    /// <summary>Counts the waits this core entered: the quiescence check sees a core that left and re-entered a wait.</summary>
    internal int WaitEpoch => Volatile.Read(ref _waitEpoch);
    private int _waitEpoch;

    internal string WaitingFor { get; private set; } = "";

    /// <summary>Binds the core to the run's memory (sized for every line allocated so far).</summary>
    internal void Attach(HostMemory memory, int words)
    {
        _words = memory.Block;
        _offset = memory.Offset;
        if (_seen.Length < words)
        {
            Array.Resize(ref _seen, words);
            Array.Resize(ref _known, words / SharedMemory.WordsPerLine);
        }
    }

    internal override long Now => _machine.CyclesSinceStart(Stopwatch.GetTimestamp());

    internal override bool MayContinue()
    {
        if (_machine.Abandoned) throw new HostRunAbandonedException();
        return true;
    }

    internal override void Suspend(Action continuation) => throw NeverSuspends();

    internal override void Resumed()
    {
    }

    internal override long Read(long address)
    {
        var value = Volatile.Read(ref _words[_offset + address]);
        Learn(address, value, only: true);
        return value;
    }

    internal override void Write(long address, long value)
    {
        Volatile.Write(ref _words[_offset + address], value);
        Learn(address, value, only: false);
    }

    internal override long Atomic(long address, long operand, long? compare)
    {
        ref var word = ref _words[_offset + address];
        long old;
        if (compare is not { } expected)
        {
            old = Interlocked.Add(ref word, operand) - operand;
            Learn(address, old + operand, only: false);
        }
        else
        {
            old = Interlocked.CompareExchange(ref word, operand, expected);
            Learn(address, old == expected ? operand : old, only: false);
        }
        return old;
    }

    internal override LineWords ReadLine(long address, int count)
    {
        var words = default(LineWords);
        var line = SharedMemory.LineOf(address);
        _known[line] = 0;
        for (var i = 0; i < count; i++)
        {
            words[i] = Volatile.Read(ref _words[_offset + address + i]);
            _seen[address + i] = words[i];
            _known[line] |= (byte)(1 << (int)((address + i) & 7));
        }
        return words;
    }

    internal override void WriteLine(long address, in LineWords words, int count)
    {
        // Plain stores of the payload, then the last word with release semantics: a reader that sees it (an acquire
        // load) sees the payload too, on any memory model (x86 orders stores anyway; Arm needs the release).
        for (var i = 0; i < count - 1; i++) _words[_offset + address + i] = words[i];
        Volatile.Write(ref _words[_offset + address + count - 1], words[count - 1]);
        var line = SharedMemory.LineOf(address);
        for (var i = 0; i < count; i++)
        {
            _seen[address + i] = words[i];
            _known[line] |= (byte)(1 << (int)((address + i) & 7));
        }
    }

    private void Learn(long address, long value, bool only)
    {
        _seen[address] = value;
        var line = SharedMemory.LineOf(address);
        var bit = (byte)(1 << (int)(address & 7));
        _known[line] = only ? bit : (byte)(_known[line] | bit);
    }

    internal override bool WaitEnded(bool idle, string waitingFor, long since)
    {
        // Words of a wait line this core did not read last time are compared with what they hold now.
        for (var i = 0; i < WaitLineCount; i++)
        {
            var line = WaitLines[i];
            var first = (long)line * SharedMemory.WordsPerLine;
            for (var w = 0; w < SharedMemory.WordsPerLine; w++)
                if ((_known[line] & (1 << w)) == 0) _seen[first + w] = Volatile.Read(ref _words[_offset + first + w]);
            _known[line] = 0xFF;
        }
        WaitingFor = waitingFor;
        Interlocked.Increment(ref _waitEpoch);
        State = idle ? HostCoreState.IdleWaiting : HostCoreState.Waiting;
        var spins = 0;
        while (!WaitLineChanged())
        {
            if (_machine.Abandoned) throw new HostRunAbandonedException();
            if (++spins < SpinsBeforeYield) Thread.SpinWait(1); // pause instructions
            else Thread.Yield();
        }
        State = HostCoreState.Running;
        return true;
    }

    /// <summary>True if a word of a wait line differs from what this core last saw (also read by the quiescence check).</summary>
    internal bool WaitLineChanged()
    {
        for (var i = 0; i < WaitLineCount; i++)
        {
            var first = (long)WaitLines[i] * SharedMemory.WordsPerLine;
            for (var w = 0; w < SharedMemory.WordsPerLine; w++)
                if (Volatile.Read(ref _words[_offset + first + w]) != _seen[first + w]) return true;
        }
        return false;
    }

    internal override void Block(bool idle, string waitingFor, Action continuation) => throw NeverSuspends();

    /// <summary>No global write stamp on real cores (it would be one contended line): a wait compares with what the poll read.</summary>
    internal override long PollStamp => -1;

    internal override void Compute(long cycles)
    {
    }

    internal override void SendInterrupt(int target) => throw NoInterrupts();
    internal override bool InterruptPending() => throw NoInterrupts();
    internal override void BlockForInterrupt(bool idle, Action continuation) => throw NoInterrupts();
    internal override void TakeInterrupt() => throw NoInterrupts();

    internal override bool Recording => _machine.Recording;

    internal override void Record(string kind, int peer, string detail) => _machine.Record(Id, Now, kind, peer, detail);

    private static InvalidOperationException NeverSuspends() => new("a host thread never suspends at a scheduling point");

    /// <summary>The message the threads backend gives for the IPI baseline.</summary>
    public const string NoInterruptsMessage = "the threads backend has no inter-processor interrupts: IPIs need the kernel, so the IPI baseline runs only on the emulator";

    private static NotSupportedException NoInterrupts() => new(NoInterruptsMessage);
}

/// <summary>What a host core is doing, as the run's watchdog sees it.</summary>
internal enum HostCoreState
{
    Idle,
    Running,
    Waiting,
    IdleWaiting,
    Done,
}

/// <summary>Thrown inside a host core's operations when its run is stopped (a check failed elsewhere, the time limit, quiescence): it unwinds the core's code.</summary>
internal sealed class HostRunAbandonedException : Exception
{
    public HostRunAbandonedException() : base("the run on host threads was stopped")
    {
    }
}
