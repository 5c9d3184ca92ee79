using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace MkVerified.Runtime.Host;

/// <summary>
/// Runs an emulation's cores as OS threads, one per core, each pinned to a host CPU (Linux), over real memory. The
/// calling thread is the watchdog: it ends the run when every core is done, when every core left waits with nothing
/// written for it (quiescent, or deadlocked if a wait is not idle), or at the time limit; then it stops the cores
/// still waiting so a run never hangs.
/// </summary>
internal sealed class HostMachine
{
    private readonly Emulation _emulation;
    private readonly HostThreadsOptions _options;
    private readonly HostCore[] _cores;
    private readonly Func<CoreTask>?[] _bodies;
    private readonly HostMemory _memory = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly double _cyclesPerTick;
    private volatile bool _abandoned;
    private volatile bool _go;

    public HostMachine(Emulation emulation, HostThreadsOptions options)
    {
        _emulation = emulation;
        _options = options;
        _cores = new HostCore[emulation.Topology.CoreCount];
        _bodies = new Func<CoreTask>?[_cores.Length];
        for (var i = 0; i < _cores.Length; i++) _cores[i] = new HostCore(this, i);
        _cyclesPerTick = emulation.Topology.Model.ClockGHz * 1e9 / Stopwatch.Frequency;
    }

    public HostCore Core(int id) => _cores[id];

    public HostPlacement? Placement { get; private set; }

    public bool Abandoned => _abandoned;

    public bool Recording => _emulation.IsRecording;

    public void Record(int core, long clock, string kind, int peer, string detail) => _emulation.RecordFromHost(core, clock, kind, peer, detail);

    public long CyclesSinceStart(long timestamp) => (long)((timestamp - _origin) * _cyclesPerTick);

    public void Start(int core, Func<CoreContext, CoreTask> body, CoreContext context)
    {
        if (_bodies[core] is not null) throw new InvalidOperationException($"core {core} already runs a body");
        _bodies[core] = () => body(context);
    }

    public RunOutcome Run()
    {
        var words = _emulation.Memory.AllocatedWords;
        _memory.CopyIn(words);
        _emulation.Memory.Live = _memory;
        var started = Enumerable.Range(0, _cores.Length).Where(i => _bodies[i] is not null).ToArray();
        var cpus = CpusOfCores(started);
        var errors = new Exception?[_cores.Length];
        var pinErrors = new string?[_cores.Length];
        var threads = new List<Thread>();
        _abandoned = false;
        _go = false;
        var ready = 0;
        foreach (var id in started)
        {
            var core = _cores[id];
            core.Attach(_memory, words.Length);
            core.State = HostCoreState.Running;
            var body = _bodies[id]!;
            _bodies[id] = null;
            var thread = new Thread(() =>
            {
                if (_options.Pin) pinErrors[id] = CpuAffinity.PinCurrentThread(cpus[id]);
                Interlocked.Increment(ref ready);
                while (!_go) Thread.SpinWait(16); // every core starts together
                errors[id] = RunBody(body);
                core.State = HostCoreState.Done;
            }, 4 << 20) { IsBackground = true, Name = $"mk core {id}" };
            threads.Add(thread);
            thread.Start();
        }
        while (Volatile.Read(ref ready) < threads.Count) Thread.Sleep(0);
        _go = true;
        var status = Watch(started, errors);
        var report = status is RunStatus.Deadlock or RunStatus.StepLimit ? Report(status, started) : "";
        _abandoned = true;
        foreach (var t in threads)
            if (!t.Join(TimeSpan.FromSeconds(10))) report += $" (core thread '{t.Name}' did not stop: it loops without touching shared memory)";
        _abandoned = false;
        _memory.CopyOut(words);
        _emulation.Memory.Live = null;
        Placement = MakePlacement(cpus, started, pinErrors);
        foreach (var id in started) _cores[id].State = HostCoreState.Idle;
        if (errors.FirstOrDefault(e => e is not null and not HostRunAbandonedException) is { } error) ExceptionDispatchInfo.Throw(error);
        return new RunOutcome(status, 0, started.Length == 0 ? 0 : started.Max(i => _cores[i].Now), report);
    }

    private static Exception? RunBody(Func<CoreTask> body)
    {
        try
        {
            var task = body();
            if (!task.IsCompleted) return new InvalidOperationException("core code awaited something other than a core operation; on host threads every operation completes at once");
            return task.Error;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Watches the cores until the run ends; returns how it ended.</summary>
    private RunStatus Watch(int[] started, Exception?[] errors)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.TimeLimit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (started.All(i => _cores[i].State == HostCoreState.Done)) return RunStatus.Completed;
            if (errors.Any(e => e is not null)) return RunStatus.Completed; // a failed check: Run rethrows it
            if (Stopwatch.GetTimestamp() > deadline) return RunStatus.StepLimit;
            if (AllWaitingForNothing(started) is { } stuck) return stuck;
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// Quiescent or deadlocked: every core not done waits, no wait line has changed, and no core left its wait meanwhile
    /// (same wait epochs before and after the check). Then no core runs, so nothing can write: the state is final.
    /// </summary>
    private RunStatus? AllWaitingForNothing(int[] started)
    {
        var epochs = new int[_cores.Length];
        var states = new HostCoreState[_cores.Length];
        foreach (var i in started)
        {
            states[i] = _cores[i].State;
            if (states[i] is HostCoreState.Running) return null;
            epochs[i] = _cores[i].WaitEpoch;
        }
        foreach (var i in started)
            if (_cores[i].State != HostCoreState.Done && _cores[i].WaitLineChanged()) return null;
        var idle = true;
        var waiting = false;
        foreach (var i in started)
        {
            var state = _cores[i].State;
            if (state != states[i] || _cores[i].WaitEpoch != epochs[i]) return null;
            if (state is HostCoreState.Waiting) idle = false;
            if (state is not HostCoreState.Done) waiting = true;
        }
        // Every core done since Watch looked is a completed run, not a quiescent one: let Watch see it.
        if (!waiting) return null;
        return idle ? RunStatus.Quiescent : RunStatus.Deadlock;
    }

    private string Report(RunStatus status, int[] started)
    {
        var report = new StringBuilder(status == RunStatus.Deadlock
            ? "deadlock: every core waits and nothing was written for it;"
            : $"time limit of {_options.TimeLimit.TotalSeconds:0.#} s reached on host threads;");
        foreach (var i in started)
        {
            var c = _cores[i];
            var state = c.State;
            if (state == HostCoreState.Done) continue;
            report.Append($" core {i} {(state is HostCoreState.Running ? "running" : "waiting")}{(state is HostCoreState.Running ? "" : $" for {c.WaitingFor}")}{(state is HostCoreState.IdleWaiting ? " (idle)" : "")};");
        }
        return report.ToString().TrimEnd(';');
    }

    private int[] CpusOfCores(int[] started)
    {
        var allowed = _options.Cpus ?? CpuAffinity.Allowed();
        if (allowed.Count == 0) allowed = [0];
        var cpus = Enumerable.Range(0, _cores.Length).Select(i => allowed[i % allowed.Count]).ToArray();
        if (_options.SpreadStartedCores)
            for (var k = 0; k < started.Length; k++) cpus[started[k]] = allowed[k % allowed.Count];
        return cpus;
    }

    private HostPlacement MakePlacement(int[] cpus, int[] started, string?[] pinErrors)
    {
        var used = started.Select(i => cpus[i]).ToArray();
        var notes = new List<string>();
        var pinned = _options.Pin && started.All(i => pinErrors[i] is null);
        if (!_options.Pin) notes.Add("unpinned: the OS places the threads");
        else if (started.Select(i => pinErrors[i]).FirstOrDefault(e => e is not null) is { } why) notes.Add($"unpinned: {why}");
        if (used.Distinct().Count() < used.Length) notes.Add($"{used.Length} cores share {used.Distinct().Count()} host CPUs: waits yield to each other");
        return new HostPlacement(used, pinned, string.Join("; ", notes));
    }
}
