using MkVerified.Kernel.Vm;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// One core's part of TLB shootdown, as its monitor runs it: it polls the core's channels, feeds each message to the
/// state machine of its instance (initiator, forwarder or responder, by the core's place in the tree), and performs
/// the effects the machines ask for. All state here belongs to this core.
/// </summary>
public sealed partial class ShootdownService
{
    private const int RequestType = 1;
    private const int AckType = 2;

    /// <summary>The name of a shootdown message type as traces show it (<c>tlb.Request</c>, <c>tlb.Ack</c>, ...), or null for another type.</summary>
    public static string? MessageName(int type) => type switch
    {
        RequestType => "tlb.Request",
        AckType => "tlb.Ack",
        MapRequestType => "tlb.MapRequest",
        UnmapRequestType => "tlb.UnmapRequest",
        OperationReplyType => "tlb.OperationReply",
        _ => null,
    };

    private readonly int _core;
    private readonly ShootdownNetwork _network;
    private readonly CpuDriver _cpu;
    private readonly PageTable _table;
    private readonly ShootdownVariant _variant;
    private readonly IShootdownObserver? _observer;
    private readonly int _syscallCycles;
    private readonly EndpointSet _incoming;
    private readonly EndpointSet.MessageHandler _handle;
    private readonly Dictionary<long, ShootdownInitiator> _initiated = [];
    private readonly Dictionary<long, ShootdownForwarder> _forwarding = [];
    private readonly Dictionary<long, (int Page, long Frame)> _operations = [];
    private readonly HashSet<long> _completed = [];
    private readonly List<ShootdownEffect> _effects = [];

    public ShootdownService(int core, ShootdownNetwork network, CpuDriver cpu, PageTable table, ShootdownVariant variant, int syscallCycles, IShootdownObserver? observer = null)
    {
        _core = core;
        _network = network;
        _cpu = cpu;
        _table = table;
        _variant = variant;
        _syscallCycles = syscallCycles;
        _observer = observer;
        _incoming = new EndpointSet(network.EndpointsOf(core));
        _handle = HandleAsync;
    }

    public CpuDriver Cpu => _cpu;

    /// <summary>
    /// Invalidates <paramref name="page"/> in every TLB of the tree and returns when all acknowledged. With
    /// <paramref name="unmap"/>, also clears the page-table entry first and frees <paramref name="frame"/> last.
    /// </summary>
    public async CoreTask ShootdownAsync(CoreContext ctx, long instance, int page, bool unmap, long frame = -1)
    {
        _operations[instance] = (page, frame);
        var initiator = new ShootdownInitiator(_network.Tree.ChildrenOf(_core), _network.Broadcast is not null, unmap, _variant, _effects);
        MachineTrace.Attach(initiator.Machine, ShootdownMachines.Initiator, _network.Emulation, _core);
        _initiated[instance] = initiator;
        initiator.Start();
        await PerformEffectsAsync(ctx, instance);
        while (!_completed.Contains(instance))
        {
            var stamp = ctx.PollStamp;
            if (!await PumpAsync(ctx)) await ctx.WaitForAnyWrite(WaitLines(), idle: false, "shootdown acks", stamp);
        }
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

    /// <summary>
    /// Serves requests forever (a target core's monitor loop; on the owner also the queued maps and unmaps); idle when
    /// nothing arrives.
    /// </summary>
    public async CoreTask ServeAsync(CoreContext ctx)
    {
        while (true)
        {
            var stamp = ctx.PollStamp;
            if (!await ServeOnceAsync(ctx)) await ctx.WaitForAnyWrite(WaitLines(), idle: true, "shootdown requests", stamp);
        }
    }

    /// <summary>
    /// One pass of the monitor loop between an application's steps: handles what arrived, then (on the owner) performs
    /// the queued maps and unmaps. Returns whether anything was done.
    /// </summary>
    public async CoreTask<bool> ServeOnceAsync(CoreContext ctx)
    {
        var any = await PumpAsync(ctx);
        return await RunQueuedOperationsAsync(ctx) || any;
    }

    /// <summary>Polls every incoming channel once and handles what arrived; returns whether anything did.</summary>
    public async CoreTask<bool> PumpAsync(CoreContext ctx)
    {
        var any = false;
        if (_network.Broadcast is { } broadcast && broadcast.Readers.Contains(_core))
        {
            if (await broadcast.PollAsync(ctx) is { } m)
            {
                any = true;
                await HandleAsync(ctx, broadcast.Writer, m);
            }
        }
        return await _incoming.PumpAsync(ctx, _handle) || any;
    }

    private async CoreTask HandleAsync(CoreContext ctx, int from, UrpcMessage message)
    {
        if (await HandleOperationMessageAsync(ctx, from, message)) return;
        var instance = message.W0;
        switch (message.Type)
        {
            case RequestType:
                _operations[instance] = ((int)message.W1, -1);
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
            case AckType when _initiated.TryGetValue(instance, out var initiator):
                initiator.ChildAcked();
                break;
            case AckType when _forwarding.TryGetValue(instance, out var forwarder):
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
                    await _network.Endpoint(_core, effect.Peer).SendAsync(ctx, new UrpcMessage(RequestType, instance, page, 0, 0, 0, 0, 0));
                    break;
                case EffectKind.Broadcast:
                    await _network.Broadcast!.SendAsync(ctx, new UrpcMessage(RequestType, instance, page, 0, 0, 0, 0, 0));
                    break;
                case EffectKind.SendAck:
                    await _network.Endpoint(_core, effect.Peer).SendAsync(ctx, new UrpcMessage(AckType, instance, 0, 0, 0, 0, 0, 0));
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

    private ReadOnlySpan<int> WaitLines() =>
        _incoming.WaitLines(_network.Broadcast is { } b && b.Readers.Contains(_core) ? b.IncomingLine(_core) : -1);
}
