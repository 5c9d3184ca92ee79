namespace MkVerified.Runtime;

/// <summary>
/// What code running on one core may do: read and write modeled shared memory (each access is a scheduling
/// point and is charged by the coherence model), wait for a line to be written, spend local cycles, and record
/// trace events. It is the only door from core code to anything shared.
/// </summary>
public sealed class CoreContext
{
    private readonly Emulation _emulation;
    private readonly EmulatedCore _core;

    internal CoreContext(Emulation emulation, EmulatedCore core)
    {
        _emulation = emulation;
        _core = core;
    }

    public int Id => _core.Id;
    public long Clock => _core.Clock;
    public Emulation Emulation => _emulation;
    public bool IsExploring => _emulation.IsExploring;

    public ReadAwaitable Read(long address) => new(_emulation, _core, address);

    public WriteAwaitable Write(long address, long value) => new(_emulation, _core, address, value);

    /// <summary>Atomically adds <paramref name="delta"/> (one exclusive fetch of the line); returns the previous value.</summary>
    public AtomicAwaitable AtomicAdd(long address, long delta) => new(_emulation, _core, address, delta, null);

    /// <summary>Atomically stores <paramref name="value"/> if the word equals <paramref name="expected"/>; returns the previous value.</summary>
    public AtomicAwaitable CompareExchange(long address, long expected, long value) => new(_emulation, _core, address, value, expected);

    /// <summary>Reads <paramref name="count"/> words starting at <paramref name="address"/>, all in one line, as one transaction.</summary>
    public ReadLineAwaitable ReadLine(long address, int count)
    {
        CheckBurst(address, count);
        return new(_emulation, _core, address, count);
    }

    /// <summary>Writes <paramref name="count"/> words of <paramref name="words"/> starting at <paramref name="address"/>, all in one line, as one transaction.</summary>
    public WriteLineAwaitable WriteLine(long address, LineWords words, int count)
    {
        CheckBurst(address, count);
        return new(_emulation, _core, address, words, count);
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
    public long PollStamp
    {
        get
        {
            _emulation.Observer?.ReadWriteStamp(_core.Id);
            return _emulation.Memory.WriteStamp;
        }
    }

    /// <summary>
    /// Blocks until another core writes <paramref name="line"/>. <paramref name="idle"/>: a service loop with nothing to do.
    /// With <paramref name="since"/> (a <see cref="PollStamp"/>), returns at once if the line was written after it.
    /// </summary>
    public WaitAwaitable WaitForWrite(int line, bool idle, string waitingFor, long since = -1)
    {
        _core.WaitLineCount = 0;
        AddWaitLine(line);
        return new WaitAwaitable(_emulation, _core, idle, waitingFor, since);
    }

    /// <summary>Blocks until another core writes any of <paramref name="lines"/> (a monitor polling many channels); see <see cref="WaitForWrite"/> for <paramref name="since"/>.</summary>
    public WaitAwaitable WaitForAnyWrite(ReadOnlySpan<int> lines, bool idle, string waitingFor, long since = -1)
    {
        _core.WaitLineCount = 0;
        foreach (var l in lines) AddWaitLine(l);
        return new WaitAwaitable(_emulation, _core, idle, waitingFor, since);
    }

    /// <summary>
    /// Sends an inter-processor interrupt: the sender pays the model's IPI send cost; the interrupt arrives at the
    /// target when the send completes. (Used by the IPI-based baseline of monolithic kernels, never by the multikernel.)
    /// </summary>
    public void SendInterrupt(int target)
    {
        _core.Clock += _emulation.Topology.Model.Costs.IpiSend;
        _emulation.DeliverInterrupt(target, _core.Clock);
        if (Recording) Record("ipi", target, "interrupt");
    }

    /// <summary>Waits for an interrupt and takes it; the handler then pays the model's trap cost itself.</summary>
    public InterruptAwaitable WaitForInterrupt(bool idle) => new(_emulation, _core, idle);

    /// <summary>A scheduling point with no memory access: lets core-local state changes take effect in time order.</summary>
    public YieldAwaitable Yield() => new(_emulation, _core);

    /// <summary>Local work that touches nothing shared (instructions of a send path, a trap): advances this core's clock.</summary>
    public void Compute(long cycles) => _core.Clock += cycles;

    /// <summary>Records a trace event when the emulation records them.</summary>
    public void Record(string kind, int peer, string detail) => _emulation.Record(_core, kind, peer, detail);

    /// <summary>True when the emulation records trace events (so callers can skip building their text).</summary>
    public bool Recording => _emulation.IsRecording;

    private void AddWaitLine(int line)
    {
        if (_core.WaitLineCount == _core.WaitLines.Length) Array.Resize(ref _core.WaitLines, _core.WaitLines.Length * 2);
        _core.WaitLines[_core.WaitLineCount++] = line;
    }
}
