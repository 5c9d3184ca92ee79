using MkVerified.Kernel.Monitor;
using MkVerified.Kernel.Vm;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// One core's part of TLB shootdown, a protocol handler on the core's monitor (the core's one message loop): it feeds
/// each message to the state machine of its instance (initiator, forwarder or responder, by the core's place in the
/// tree) and performs the effects the machines ask for. All state here belongs to this core.
/// </summary>
public sealed partial class ShootdownService : IProtocolHandler
{
    /// <summary>The shootdown's protocol id in monitor messages (agreement is 1).</summary>
    public const int Protocol = 3;

    private const int RequestKind = 1;
    private const int AckKind = 2;

    /// <summary>The name of a shootdown message type as traces show it (<c>tlb.Request</c>, <c>tlb.Ack</c>, ...), or null for another type.</summary>
    public static string? MessageName(int type) => type >> 8 != Protocol ? null : (type & 0xFF) switch
    {
        RequestKind => "tlb.Request",
        AckKind => "tlb.Ack",
        MapRequestKind => "tlb.MapRequest",
        UnmapRequestKind => "tlb.UnmapRequest",
        OperationReplyKind => "tlb.OperationReply",
        _ => null,
    };

    private readonly int _core;
    private readonly ShootdownNetwork _network;
    private readonly CoreMonitor _monitor;
    private readonly CpuDriver _cpu;
    private readonly PageTable _table;
    private readonly ShootdownVariant _variant;
    private readonly IShootdownObserver? _observer;
    private readonly int _syscallCycles;
    private readonly Dictionary<long, ShootdownInitiator> _initiated = [];
    private readonly Dictionary<long, ShootdownForwarder> _forwarding = [];
    private readonly Dictionary<long, (int Page, long Frame)> _operations = [];
    private readonly HashSet<long> _completed = [];
    private readonly List<ShootdownEffect> _effects = [];

    /// <summary>Builds core <paramref name="core"/>'s service and registers it with the core's monitor.</summary>
    public ShootdownService(int core, ShootdownNetwork network, CpuDriver cpu, PageTable table, ShootdownVariant variant, int syscallCycles, IShootdownObserver? observer = null)
    {
        _core = core;
        _network = network;
        _cpu = cpu;
        _table = table;
        _variant = variant;
        _syscallCycles = syscallCycles;
        _observer = observer;
        _monitor = network.MonitorOf(core);
        _monitor.Register(this);
    }

    int IProtocolHandler.ProtocolId => Protocol;

    /// <summary>Unfinished here: a shootdown this core forwards or started, or maps and unmaps queued on the owner.</summary>
    public bool Busy => _forwarding.Count > 0 || _initiated.Count > 0 || _queued.Count > 0 || _operating;

    public CpuDriver Cpu => _cpu;

    /// <summary>
    /// Invalidates <paramref name="page"/> in every TLB of the tree and returns when all acknowledged. With
    /// <paramref name="unmap"/>, also clears the page-table entry first and frees <paramref name="frame"/> last. The
    /// shootdown alone (Figure 6, and the owner's step of an unmap): a user-level unmap goes through
    /// <see cref="UnmapAsync"/>, which serializes it with every other map and unmap. While it waits for acks it runs
    /// passes of the core's monitor loop, so the core keeps handling its other messages.
    /// </summary>
    public async CoreTask ShootdownAsync(CoreContext ctx, long instance, int page, bool unmap, long frame = -1)
    {
        _operations[instance] = (page, frame);
        var topology = _network.Emulation.Topology;
        var initiator = new ShootdownInitiator(_network.Tree.ChildrenOf(_core), _network.Broadcast is not null, unmap, _variant, _effects, c => topology.PackageOf(c) != topology.PackageOf(_core));
        MachineTrace.Attach(initiator.Machine, ShootdownMachines.Initiator, _network.Emulation, _core);
        _initiated[instance] = initiator;
        initiator.Start();
        await PerformEffectsAsync(ctx, instance);
        while (!_completed.Contains(instance))
            if (!await _monitor.ServeOnceAsync(ctx)) await _monitor.WaitAsync(ctx, idle: false, "shootdown acks");
        _initiated.Remove(instance);
    }

    /// <summary>
    /// A user-level unmap of <paramref name="page"/>, on any core, the owner's included: the application calls its
    /// core's monitor (one local RPC, the model's <c>localRpc</c>), and the page table's owner performs it in turn with
    /// every other map and unmap (<see cref="RequestAsync"/>). Returns true if this unmap cleared the entry, shot down
    /// every TLB and freed the frame; false if the page was already unmapped (another unmap did it, and it completed:
    /// no TLB maps the page either way). <paramref name="frame"/> is the frame the application mapped there; only the
    /// seeded <see cref="ShootdownVariant.OwnerUnmapBypassesQueue"/> trusts it, the owner frees what the entry holds.
    /// </summary>
    public async CoreTask<bool> UnmapAsync(CoreContext ctx, long instance, int page, long frame)
    {
        if (_variant == ShootdownVariant.OwnerUnmapBypassesQueue && _core == _network.Owner)
        {
            ctx.Compute(ctx.Emulation.Topology.Model.Costs.LocalRpc); // seeded bug: no queue, no look at the entry
            await ShootdownAsync(ctx, instance, page, unmap: true, frame);
            return true;
        }
        return await RequestAsync(ctx, new PageOperation(instance, Map: false, page, frame));
    }

    /// <summary>Serves requests forever: the core's monitor loop (on the owner also the queued maps and unmaps).</summary>
    public CoreTask ServeAsync(CoreContext ctx) => _monitor.RunAsync(ctx);

    /// <summary>One pass of the core's monitor loop between an application's steps; returns whether anything was done.</summary>
    public CoreTask<bool> ServeOnceAsync(CoreContext ctx) => _monitor.ServeOnceAsync(ctx);

    /// <summary>Handles the message that arrived: every effect (sends included) is a memory access or an invalidation, in the machines' order.</summary>
    CoreTask IProtocolHandler.PerformAsync(CoreContext ctx, int from, UrpcMessage message) => HandleAsync(ctx, from, message);

    private async CoreTask HandleAsync(CoreContext ctx, int from, UrpcMessage message)
    {
        if (await HandleOperationMessageAsync(ctx, from, message)) return;
        var instance = MonitorMessage.Instance(message);
        switch (MonitorMessage.Kind(message))
        {
            case RequestKind:
                _operations[instance] = ((int)MonitorMessage.Argument(message, 1), -1);
                var children = _network.Tree.ChildrenOf(_core);
                if (children.Count == 0)
                {
                    var responder = new ShootdownResponder(from, _variant, _effects);
                    MachineTrace.Attach(responder.Machine, ShootdownMachines.Responder, _network.Emulation, _core);
                    responder.Request();
                }
                else
                {
                    var forwarder = new ShootdownForwarder(from, children, _variant, _effects);
                    MachineTrace.Attach(forwarder.Machine, ShootdownMachines.Forwarder, _network.Emulation, _core);
                    _forwarding[instance] = forwarder;
                    forwarder.Request();
                }
                break;
            case AckKind when _initiated.TryGetValue(instance, out var initiator):
                initiator.ChildAcked();
                break;
            case AckKind when _forwarding.TryGetValue(instance, out var forwarder):
                forwarder.ChildAcked();
                if (forwarder.Current == ShootdownForwarder.State.Acked) _forwarding.Remove(instance);
                break;
            default:
                throw new SafetyViolationException($"core {_core}: unexpected shootdown message {message} from core {from}");
        }
        await PerformEffectsAsync(ctx, instance);
    }

    private async CoreTask PerformEffectsAsync(CoreContext ctx, long instance)
    {
        var (page, frame) = _operations[instance];
        var effects = _effects.ToArray();
        _effects.Clear();
        foreach (var effect in effects)
        {
            switch (effect.Kind)
            {
                case EffectKind.SendRequest:
                    await _monitor.SendAsync(ctx, effect.Peer, MonitorMessage.Create(Protocol, RequestKind, instance, page));
                    break;
                case EffectKind.Broadcast:
                    await _network.Broadcast!.SendAsync(ctx, MonitorMessage.Create(Protocol, RequestKind, instance, page));
                    break;
                case EffectKind.SendAck:
                    await _monitor.SendAsync(ctx, effect.Peer, MonitorMessage.Create(Protocol, AckKind, instance));
                    break;
                case EffectKind.Invalidate:
                    ctx.Compute(_syscallCycles); // the monitor asks its CPU driver: one system call
                    await _cpu.InvalidateAsync(ctx, page);
                    break;
                case EffectKind.ClearEntry:
                    await _table.ClearAsync(ctx, page);
                    break;
                case EffectKind.FreeFrame:
                    _observer?.FrameFreed(_core, frame);
                    break;
                case EffectKind.Complete:
                    _completed.Add(instance);
                    _operations.Remove(instance);
                    _observer?.Completed(_core, instance, page);
                    break;
            }
        }
    }
}
