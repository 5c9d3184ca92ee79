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

    /// <summary>Blocks until another core writes <paramref name="line"/>. <paramref name="idle"/>: a service loop with nothing to do.</summary>
    public WaitAwaitable WaitForWrite(int line, bool idle, string waitingFor)
    {
        _core.WaitLineCount = 0;
        AddWaitLine(line);
        return new WaitAwaitable(_emulation, _core, idle, waitingFor);
    }

    /// <summary>Blocks until another core writes any of <paramref name="lines"/> (a monitor polling many channels).</summary>
    public WaitAwaitable WaitForAnyWrite(ReadOnlySpan<int> lines, bool idle, string waitingFor)
    {
        _core.WaitLineCount = 0;
        foreach (var l in lines) AddWaitLine(l);
        return new WaitAwaitable(_emulation, _core, idle, waitingFor);
    }

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
