namespace MkVerified.Runtime;

/// <summary>
/// The scheduler's record of one logical core (its clock, status, and where it is suspended) and its door to the
/// emulated machine: every operation is a scheduling point placed *before* the access, and the access is charged by
/// the coherence model when the scheduler lets the core go on.
/// </summary>
public sealed class EmulatedCore : CoreDoor
{
    private readonly Emulation _emulation;

    internal EmulatedCore(Emulation emulation, int id) : base(id) => _emulation = emulation;

    /// <summary>Modeled cycles this core has run for (its local time).</summary>
    public long Clock { get; internal set; }

    public CoreStatus Status { get; internal set; } = CoreStatus.Idle;

    /// <summary>Cycles this core spent blocked waiting for a write (its clock jumped forward on wake-up).</summary>
    public long WaitedCycles { get; internal set; }

    /// <summary>What the core waits for while blocked (for deadlock reports and traces).</summary>
    public string WaitingFor { get; internal set; } = "";

    /// <summary>True when the core blocked in a service loop with nothing to do: all-idle means quiescent, not deadlocked.</summary>
    public bool IdleWait { get; internal set; }

    /// <summary>Arrival cycles of interrupts sent to this core and not yet taken.</summary>
    internal readonly Queue<long> PendingInterrupts = new();
    internal bool WaitsForInterrupt;

    internal Action? Continuation;
    internal CoreTask? Body;
    internal int HeapIndex = -1;

    internal override long Now => Clock;

    internal override bool MayContinue() => _emulation.MayContinue(this);

    internal override void Suspend(Action continuation) => _emulation.Yield(this, continuation);

    internal override void Resumed() => _emulation.CheckCurrent(this);

    /// <summary>What every costed access does first: checks this core is the one running, counts it, shows it to the observer.</summary>
    private int BeginAccess(SharedMemory memory, long address, bool write)
    {
        _emulation.CheckCurrent(this);
        memory.Accesses++;
        var line = SharedMemory.LineOf(address);
        _emulation.Observer?.Accessed(Id, line, write);
        return line;
    }

    internal override long Read(long address)
    {
        var memory = _emulation.Memory;
        var line = BeginAccess(memory, address, write: false);
        Clock = memory.Directory.Read(Id, line, Clock);
        return memory.Load(address);
    }

    internal override void Write(long address, long value)
    {
        var memory = _emulation.Memory;
        var line = BeginAccess(memory, address, write: true);
        Clock = memory.Directory.Store(Id, line, Clock, out var visibleAt);
        memory.Store(address, value);
        memory.Stamp(line);
        _emulation.WakeWaiters(line, Id, visibleAt);
    }

    internal override long Atomic(long address, long operand, long? compare)
    {
        var memory = _emulation.Memory;
        var line = BeginAccess(memory, address, write: true);
        Clock = memory.Directory.Write(Id, line, Clock);
        var old = memory.Load(address);
        if (compare is not { } expected) memory.Store(address, old + operand);
        else if (old == expected) memory.Store(address, operand);
        memory.Stamp(line);
        _emulation.WakeWaiters(line, Id, Clock);
        return old;
    }

    internal override LineWords ReadLine(long address, int count)
    {
        var memory = _emulation.Memory;
        var line = BeginAccess(memory, address, write: false);
        Clock = memory.Directory.Read(Id, line, Clock) + (count - 1) * (long)memory.HitCost;
        var words = default(LineWords);
        for (var i = 0; i < count; i++) words[i] = memory.Load(address + i);
        return words;
    }

    internal override void WriteLine(long address, in LineWords words, int count)
    {
        var memory = _emulation.Memory;
        var line = BeginAccess(memory, address, write: true);
        Clock = memory.Directory.Store(Id, line, Clock, out var visibleAt) + (count - 1) * (long)memory.HitCost;
        for (var i = 0; i < count; i++) memory.Store(address + i, words[i]);
        memory.Stamp(line);
        _emulation.WakeWaiters(line, Id, visibleAt);
    }

    internal override bool WaitEnded(bool idle, string waitingFor, long since)
    {
        if (_emulation.WaitLineChanged(this)) return true; // reports the wait lines to the observer as read
        if (since < 0) return false;
        for (var i = 0; i < WaitLineCount; i++)
            if (_emulation.Memory.WrittenSince(WaitLines[i], since)) return true;
        return false;
    }

    internal override void Block(bool idle, string waitingFor, Action continuation)
    {
        IdleWait = idle;
        WaitingFor = waitingFor;
        _emulation.Block(this, continuation);
    }

    internal override long PollStamp
    {
        get
        {
            _emulation.Observer?.ReadWriteStamp(Id);
            return _emulation.Memory.WriteStamp;
        }
    }

    internal override void Compute(long cycles) => Clock += cycles;

    internal override void SendInterrupt(int target)
    {
        Clock += _emulation.Topology.Model.Costs.IpiSend;
        _emulation.DeliverInterrupt(target, Clock);
        if (Recording) Record("ipi", target, "interrupt");
    }

    internal override bool InterruptPending()
    {
        _emulation.Observer?.Accessed(Id, IStepObserver.InterruptLine(Id), false);
        return PendingInterrupts.Count > 0;
    }

    internal override void BlockForInterrupt(bool idle, Action continuation)
    {
        IdleWait = idle;
        WaitingFor = "an interrupt";
        _emulation.BlockForInterrupt(this, continuation);
    }

    internal override void TakeInterrupt()
    {
        _emulation.CheckCurrent(this);
        _emulation.TryTakeInterrupt(this);
    }

    internal override bool Recording => _emulation.IsRecording;

    internal override void Record(string kind, int peer, string detail) => _emulation.Record(this, kind, peer, detail);
}
