namespace MkVerified.Runtime;

/// <summary>
/// What code running on one core may do: read and write modeled shared memory (each access is a scheduling
/// point and is charged by the coherence model), wait for a line to be written, spend local cycles, and record
/// trace events. It is the only door from core code to anything shared.
/// </summary>
public sealed class CoreContext
{
    private readonly Emulation _emulation;
    private readonly CoreDoor _door;

    internal CoreContext(Emulation emulation, CoreDoor door)
    {
        _emulation = emulation;
        _door = door;
    }

    public int Id => _door.Id;

    /// <summary>This core's time in cycles: modeled cycles in emulation, real time in cycles of the model's nominal clock on host threads.</summary>
    public long Clock => _door.Now;
    public Emulation Emulation => _emulation;
    public bool IsExploring => _emulation.IsExploring;

    /// <summary>True when the core is a host thread (real memory and time) rather than an emulated core.</summary>
    public bool OnHost => _emulation.OnHost;

    public ReadAwaitable Read(long address) => new(_door, address);

    /// <summary>
    /// This core changed private hardware state that checks read from other cores (a TLB fill or invalidation): not a
    /// memory access nor a scheduling point, but shown to the step observer so partial-order reduction orders the change
    /// against those checks (<see cref="Emulation.CheckReadsPrivateState"/>).
    /// </summary>
    public void ChangedPrivateState() => _emulation.PrivateStateChanged();

    public WriteAwaitable Write(long address, long value) => new(_door, address, value);

    /// <summary>Atomically adds <paramref name="delta"/> (one exclusive fetch of the line); returns the previous value.</summary>
    public AtomicAwaitable AtomicAdd(long address, long delta) => new(_door, address, delta, null);

    /// <summary>Atomically stores <paramref name="value"/> if the word equals <paramref name="expected"/>; returns the previous value.</summary>
    public AtomicAwaitable CompareExchange(long address, long expected, long value) => new(_door, address, value, expected);

    /// <summary>Reads <paramref name="count"/> words starting at <paramref name="address"/>, all in one line, as one transaction.</summary>
    public ReadLineAwaitable ReadLine(long address, int count)
    {
        CheckBurst(address, count);
        return new(_door, address, count);
    }

    /// <summary>Writes <paramref name="count"/> words of <paramref name="words"/> starting at <paramref name="address"/>, all in one line, as one transaction.</summary>
    public WriteLineAwaitable WriteLine(long address, LineWords words, int count)
    {
        CheckBurst(address, count);
        return new(_door, address, words, count);
    }

    private static void CheckBurst(long address, int count)
    {
        if (count < 1 || (address & 7) + count > SharedMemory.WordsPerLine)
            throw new ArgumentOutOfRangeException(nameof(count), $"a burst of {count} words at word {address & 7} does not fit one line");
    }

    /// <summary>
    /// The memory's write stamp: note it before a polling pass over several lines and pass it to the wait, so that a
    /// write landing between the poll of a line and the wait is not missed (the hardware poller would see it next loop).
    /// </summary>
    public long PollStamp => _door.PollStamp;

    /// <summary>
    /// Blocks until another core writes <paramref name="line"/>. <paramref name="idle"/>: a service loop with nothing to do.
    /// With <paramref name="since"/> (a <see cref="PollStamp"/>), returns at once if the line was written after it.
    /// </summary>
    public WaitAwaitable WaitForWrite(int line, bool idle, string waitingFor, long since = -1)
    {
        _door.WaitLineCount = 0;
        AddWaitLine(line);
        return new WaitAwaitable(_door, idle, waitingFor, since);
    }

    /// <summary>Blocks until another core writes any of <paramref name="lines"/> (a monitor polling many channels); see <see cref="WaitForWrite"/> for <paramref name="since"/>.</summary>
    public WaitAwaitable WaitForAnyWrite(ReadOnlySpan<int> lines, bool idle, string waitingFor, long since = -1)
    {
        _door.WaitLineCount = 0;
        foreach (var l in lines) AddWaitLine(l);
        return new WaitAwaitable(_door, idle, waitingFor, since);
    }

    /// <summary>
    /// Sends an inter-processor interrupt: the sender pays the model's IPI send cost; the interrupt arrives at the
    /// target when the send completes. (Used by the IPI-based baseline of monolithic kernels, never by the multikernel.)
    /// </summary>
    public void SendInterrupt(int target) => _door.SendInterrupt(target);

    /// <summary>Waits for an interrupt and takes it; the handler then pays the model's trap cost itself.</summary>
    public InterruptAwaitable WaitForInterrupt(bool idle) => new(_door, idle);

    /// <summary>A scheduling point with no memory access: lets core-local state changes take effect in time order.</summary>
    public YieldAwaitable Yield() => new(_door);

    /// <summary>Local work that touches nothing shared (instructions of a send path, a trap): advances this core's clock (on a host the real instructions take their real time).</summary>
    public void Compute(long cycles) => _door.Compute(cycles);

    /// <summary>Records a trace event when the emulation records them.</summary>
    public void Record(string kind, int peer, string detail) => _door.Record(kind, peer, detail);

    /// <summary>True when the emulation records trace events (so callers can skip building their text).</summary>
    public bool Recording => _door.Recording;

    private void AddWaitLine(int line)
    {
        if (_door.WaitLineCount == _door.WaitLines.Length) Array.Resize(ref _door.WaitLines, _door.WaitLines.Length * 2);
        _door.WaitLines[_door.WaitLineCount++] = line;
    }
}
