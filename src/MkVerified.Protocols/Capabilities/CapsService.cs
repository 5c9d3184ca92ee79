using MkVerified.Kernel.Caps;
using MkVerified.Kernel.Monitor;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// One core's part of capability replication, a protocol handler on the core's monitor (the core's one message loop):
/// the operations its applications invoke (copy, retype, delete, revoke, retrieve on a slot of its CNode), forwarded
/// to the object's owner when they need agreement, and the handling of every capability message from the other
/// monitors. The owner's multi-core steps are Stateless machines (<see cref="CopyCoordinator"/>,
/// <see cref="RetypeCoordinator"/>, <see cref="DeleteCoordinator"/>, <see cref="RevokeCoordinator"/>) whose callbacks
/// queue effects (messages, slot accesses) performed in order. All state here belongs to this core.
/// </summary>
public sealed partial class CapsService : IProtocolHandler
{
    private readonly int _core;
    private readonly CapTable _table;
    private readonly CapsNetwork _network;
    private readonly CoreMonitor _monitor;
    private readonly CapsVariant _variant;
    private readonly ICapsObserver? _observer;
    private readonly MemoryServer _memoryServer;
    private readonly int _trapCycles;
    private readonly CoreSet _others;
    private readonly Dictionary<long, CapResult> _results = [];
    private readonly List<Effect> _effects = [];
    private long _nextOp;

    private readonly record struct Effect(int Peer, UrpcMessage Message, long Address, bool Write);

    /// <summary>Builds core <paramref name="core"/>'s service and registers it with the core's monitor.</summary>
    public CapsService(int core, CapTable table, CapsNetwork network, MemoryServer memoryServer, CapsVariant variant, int trapCycles, ICapsObserver? observer = null)
    {
        _core = core;
        _table = table;
        _network = network;
        _memoryServer = memoryServer;
        _variant = variant;
        _trapCycles = trapCycles;
        _observer = observer;
        _others = network.Members.Where(m => m != core).Aggregate(CoreSet.Empty, (set, m) => set.With(m));
        _monitor = network.MonitorOf(core);
        _monitor.Register(this);
    }

    int IProtocolHandler.ProtocolId => CapsMessages.Protocol;

    /// <summary>Unfinished here: an operation this core owns and coordinates, or a mark waiting for one to end.</summary>
    public bool Busy => _copies.Count > 0 || _retypes.Count > 0 || _deletes.Count > 0 || _revokes.Count > 0 || _deferredMarks.Count > 0;

    public int Core => _core;
    public CapTable Table => _table;

    /// <summary>Copies the capability in <paramref name="slot"/> to core <paramref name="dest"/>'s CNode, keeping the rights in <paramref name="mask"/>.</summary>
    public async CoreTask<CapResult> CopyAsync(CoreContext ctx, int slot, int dest, CapRights mask = CapRights.All)
    {
        if (await LookupAsync(ctx, slot) is not { } cap) return CapResult.NotFound;
        var state = _table.State(cap.Key)!;
        if (state.Marked || (state.Owner == _core && state.Busy)) return CapResult.Retry;
        var copy = cap with { Rights = cap.Rights & mask };
        if (dest == _core) return await InsertLocalAsync(ctx, copy, state.Owner);
        var op = NewOp();
        if (state.Owner == _core) StartCopy(op, _core, copy, dest);
        else Send(state.Owner, CapsMessages.Make(CapsMessageType.CopyRequest, op, cap.Key, copy.Rights, w4: dest));
        return await AwaitAsync(ctx, op);
    }

    /// <summary>Retypes part of the capability in <paramref name="slot"/> into a new object of <paramref name="type"/>, placed in this core's CNode.</summary>
    public async CoreTask<CapResult> RetypeAsync(CoreContext ctx, int slot, CapType type, long offset, long size)
    {
        if (await LookupAsync(ctx, slot) is not { } cap) return CapResult.NotFound;
        if (RetypeRules.Result(cap.Key, type, offset, size) is not { } child) return CapResult.Invalid;
        var state = _table.State(cap.Key)!;
        if (state.Marked || (state.Owner == _core && state.Busy)) return CapResult.Retry;
        if (_table.FreeSlot() < 0) return CapResult.NoSpace;
        var op = NewOp();
        if (state.Owner == _core) StartRetype(op, _core, cap.Key, child);
        else
        {
            _pendingChildren[op] = (cap.Key, child, state.Owner);
            Send(state.Owner, CapsMessages.Make(CapsMessageType.RetypeRequest, op, cap.Key, w4: child.Base, w5: child.Size, w6: (long)child.Type));
        }
        return await AwaitAsync(ctx, op);
    }

    /// <summary>Deletes the capability in <paramref name="slot"/>; the object's last copy runs its cleanup once.</summary>
    public async CoreTask<CapResult> DeleteAsync(CoreContext ctx, int slot)
    {
        if (await LookupAsync(ctx, slot) is not { } cap) return CapResult.NotFound;
        var state = _table.State(cap.Key)!;
        if (state.Marked || (state.Owner == _core && state.Busy)) return CapResult.Retry;
        if (state.Owner != _core || _table.CopyCount(cap.Key) > 1)
        {
            var inOwnersDelete = state.InDelete;
            var last = _table.Remove(slot);
            Charge(slot, write: true);
            if (last && inOwnersDelete && _variant == CapsVariant.LastCopyDoubleCleanup && cap.Key.Type == CapType.Ram)
                Cleanup(cap.Key); // seeded bug: a non-owner decides on the object's last copy
            if (last && state.Owner != _core) // the owner may stop messaging this core about the object
                Send(state.Owner, CapsMessages.Make(CapsMessageType.Released, 0, cap.Key));
            await FlushAsync(ctx);
            return CapResult.Ok;
        }
        var op = NewOp();
        StartDeleteLast(op, cap.Key, slot);
        return await AwaitAsync(ctx, op);
    }

    /// <summary>Revokes the capability in <paramref name="slot"/>: every other copy and every descendant, on every core, goes.</summary>
    public async CoreTask<CapResult> RevokeAsync(CoreContext ctx, int slot)
    {
        if (await LookupAsync(ctx, slot) is not { } cap) return CapResult.NotFound;
        var state = _table.State(cap.Key)!;
        if (state.Marked || (state.Owner == _core && state.Busy)) return CapResult.Retry;
        var op = NewOp();
        if (state.Owner == _core) StartRevoke(op, _core, cap.Key, slot);
        else Send(state.Owner, CapsMessages.Make(CapsMessageType.RevokeRequest, op, cap.Key, w4: slot));
        return await AwaitAsync(ctx, op);
    }

    /// <summary>
    /// Makes this core the owner of the capability in <paramref name="slot"/> (Barrelfish's capops_retrieve): the owner
    /// hands over ownership with its relation sets, and the new owner tells the copy holders.
    /// </summary>
    public async CoreTask<CapResult> RetrieveAsync(CoreContext ctx, int slot)
    {
        if (await LookupAsync(ctx, slot) is not { } cap) return CapResult.NotFound;
        var state = _table.State(cap.Key)!;
        if (state.Owner == _core) return state.Busy ? CapResult.Retry : CapResult.Ok;
        if (state.Busy) return CapResult.Retry;
        var op = NewOp();
        Send(state.Owner, CapsMessages.Make(CapsMessageType.RetrieveRequest, op, cap.Key));
        return await AwaitAsync(ctx, op);
    }

    /// <summary>Serves the other monitors forever: the core's monitor loop.</summary>
    public CoreTask ServeAsync(CoreContext ctx) => _monitor.RunAsync(ctx);

    /// <summary>One pass of the core's monitor loop between an application's steps; returns whether anything was done.</summary>
    public CoreTask<bool> ServeOnceAsync(CoreContext ctx) => _monitor.ServeOnceAsync(ctx);

    /// <summary>Handles the message that arrived: its effects (sends and slot accesses) are performed in the order the handling queued them.</summary>
    async CoreTask IProtocolHandler.PerformAsync(CoreContext ctx, int from, UrpcMessage message)
    {
        Handle(from, message);
        ReleaseDeferredMarks();
        await FlushAsync(ctx);
    }

    private async CoreTask<Capability?> LookupAsync(CoreContext ctx, int slot)
    {
        ctx.Compute(_trapCycles); // the application's system call into its CPU driver
        if (slot < 0 || slot >= _table.Capacity) return null;
        await ctx.Read(_table.SlotAddress(slot));
        return _table[slot];
    }

    private async CoreTask<CapResult> InsertLocalAsync(CoreContext ctx, Capability cap, int owner)
    {
        var slot = _table.Insert(cap, owner);
        if (slot < 0) return CapResult.NoSpace;
        Charge(slot, write: true);
        await FlushAsync(ctx);
        return CapResult.Ok;
    }

    private async CoreTask<CapResult> AwaitAsync(CoreContext ctx, long op)
    {
        ReleaseDeferredMarks();
        await FlushAsync(ctx);
        while (!_results.ContainsKey(op))
            if (!await _monitor.ServeOnceAsync(ctx)) await _monitor.WaitAsync(ctx, idle: false, "capability operation reply");
        var result = _results[op];
        _results.Remove(op);
        return result;
    }

    private long NewOp() => ((long)_core << 32) | ++_nextOp;

    private void Send(int peer, UrpcMessage message) => _effects.Add(new Effect(peer, message, -1, false));

    private void Send(int peer, UrpcMessage[] messages)
    {
        foreach (var message in messages) Send(peer, message);
    }

    private void SendTo(CoreSet peers, UrpcMessage message)
    {
        foreach (var peer in peers.Cores()) Send(peer, message);
    }

    private void Charge(int slot, bool write) => _effects.Add(new Effect(-1, default, _table.SlotAddress(slot), write));

    /// <summary>A scan of the CNode for relations (Barrelfish walks its mapping database): one read per occupied slot.</summary>
    private void ChargeScan()
    {
        foreach (var (slot, _) in _table.Occupied()) Charge(slot, write: false);
    }

    private async CoreTask FlushAsync(CoreContext ctx)
    {
        while (_effects.Count > 0)
        {
            var effects = _effects.ToArray();
            _effects.Clear();
            foreach (var e in effects)
            {
                if (e.Peer >= 0) await _monitor.SendAsync(ctx, e.Peer, e.Message);
                else if (e.Write) await ctx.Write(e.Address, 1);
                else await ctx.Read(e.Address);
            }
        }
    }
}
