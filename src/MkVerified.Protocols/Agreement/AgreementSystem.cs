using MkVerified.Kernel.Monitor;
using MkVerified.Kernel.Skb;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// Sets agreement workloads up on an emulation (construction time only): a monitor with an agreement handler on every
/// core involved, a channel for every tree edge, a workload on every coordinating core. Then <see cref="Start"/> starts
/// the monitor loops; the run ends quiescent once every agreement has ended.
/// </summary>
public sealed class AgreementSystem
{
    private readonly Emulation _emulation;
    private readonly ChannelRegistry _channels;
    private readonly Dictionary<int, CoreMonitor> _monitors = [];
    private readonly Dictionary<int, AgreementHandler> _handlers = [];
    private readonly AgreementVariant _variant;

    public AgreementSystem(Emulation emulation, AgreementVariant variant = AgreementVariant.Correct, bool check = true, UrpcOptions? urpc = null)
    {
        _emulation = emulation;
        _variant = variant;
        Knowledge = SystemKnowledgeBase.For(emulation.Topology);
        _channels = new ChannelRegistry(emulation, urpc);
        Ledger = check ? new AgreementLedger(emulation) : null;
    }

    public SystemKnowledgeBase Knowledge { get; }
    public AgreementLedger? Ledger { get; }
    public IReadOnlyDictionary<int, AgreementHandler> Handlers => _handlers;
    public Dictionary<int, AgreementWorkload> Workloads { get; } = [];


    /// <summary>Every coordinated agreement's result, by coordinator then order of ending.</summary>
    public IReadOnlyList<AgreementResult> Results => _handlers.OrderBy(h => h.Key).SelectMany(h => h.Value.Results).ToList();

    /// <summary>
    /// Core <paramref name="coordinator"/> will run <paramref name="agreements"/> (one operation each), at most
    /// <paramref name="window"/> at a time, retrying an operation aborted by a conflict until it commits, or at most
    /// <paramref name="maxRetries"/> times when a budget is given (then it gives up, saying the budget was used).
    /// </summary>
    public void AddWorkload(int coordinator, IReadOnlyList<AgreementSpec> agreements, int window, int? maxRetries = null)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), "the window must be at least 1");
        foreach (var spec in agreements)
        {
            if (spec.Root != coordinator) throw new ArgumentException($"{spec} is not coordinated by core {coordinator}");
            Connect(Knowledge.BuildTree(spec.Root, spec.Participants, spec.Kind));
        }
        Install(coordinator, new AgreementWorkload(HandlerOf(coordinator), agreements, window, maxRetries));
    }

    /// <summary>
    /// Core <paramref name="coordinator"/> runs a stream of operations over <paramref name="participants"/>:
    /// <paramref name="next"/> is given a free sequence number and returns the next agreement (or null: the stream ends).
    /// </summary>
    public void AddStream(int coordinator, IReadOnlyList<int> participants, TreeKind kind, Func<int, AgreementSpec?> next, int window, int? maxRetries = null)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), "the window must be at least 1");
        Connect(Knowledge.BuildTree(coordinator, participants, kind));
        Install(coordinator, new AgreementWorkload(HandlerOf(coordinator), sequence =>
        {
            var spec = next(sequence);
            if (spec is not null && (spec.Root != coordinator || spec.Kind != kind || !spec.Participants.SequenceEqual(participants)))
                throw new ArgumentException($"{spec} does not belong to core {coordinator}'s stream");
            return spec;
        }, window, maxRetries));
    }

    private void Connect(MulticastTree tree)
    {
        MonitorOf(tree.Root);
        foreach (var t in tree.Targets)
        {
            var parent = tree.ParentOf(t);
            MonitorOf(t).Connect(parent);
            MonitorOf(parent).Connect(t);
        }
    }

    private AgreementHandler HandlerOf(int core)
    {
        MonitorOf(core);
        return _handlers[core];
    }

    private void Install(int coordinator, AgreementWorkload workload)
    {
        var monitor = MonitorOf(coordinator);
        if (monitor.LocalWork is not null) throw new InvalidOperationException($"core {coordinator} already has a workload");
        monitor.LocalWork = Workloads[coordinator] = workload;
    }

    /// <summary>Starts every monitor loop (at <paramref name="startCycle"/> of its core, default 0).</summary>
    public void Start(Func<int, long>? startCycle = null)
    {
        foreach (var (core, monitor) in _monitors.OrderBy(m => m.Key))
            _emulation.Start(core, monitor.RunAsync, startCycle?.Invoke(core) ?? 0);
    }

    /// <summary>
    /// After a run that ended without an exception: the agreement machines are given back for the next system to reuse
    /// (building them is most of an explored run's cost otherwise). The system must not be used afterwards.
    /// </summary>
    public void RecycleMachines()
    {
        foreach (var handler in _handlers.Values) handler.RecycleMachines();
    }

    private CoreMonitor MonitorOf(int core)
    {
        if (_monitors.TryGetValue(core, out var m)) return m;
        m = new CoreMonitor(core, _channels);
        var handler = new AgreementHandler(core, Knowledge, _variant, Ledger) { RecordingIn = _emulation };
        m.Register(handler);
        _monitors[core] = m;
        _handlers[core] = handler;
        return m;
    }
}
