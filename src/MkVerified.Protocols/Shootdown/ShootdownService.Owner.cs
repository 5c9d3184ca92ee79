using MkVerified.Kernel.Monitor;
using MkVerified.Kernel.Vm;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// Maps and unmaps requested on any core. The page table belongs to its owner's monitor (the network's owner core), so
/// a request from another core is forwarded there, and the owner's own requests join the same queue; the owner performs
/// the operations one at a time, each to its end (a map writes the entry, an unmap clears it, shoots down every TLB and
/// frees the frame; a map of a mapped page and an unmap of an unmapped one are refused) and replies when each is done.
/// Two unmaps of one page therefore free the frame once: the second finds the entry cleared and answers "already
/// unmapped", and only after the first one's shootdown completed.
/// </summary>
public sealed partial class ShootdownService
{
    private const int MapRequestKind = 3;
    private const int UnmapRequestKind = 4;
    private const int OperationReplyKind = 5;

    private readonly Queue<(int From, PageOperation Operation)> _queued = new();
    private readonly Dictionary<long, bool> _replies = [];
    private bool _operating;

    /// <summary>
    /// Asks the owner to perform <paramref name="operation"/> and returns when it did: true if applied, false if refused
    /// (a map of a mapped page, an unmap of an unmapped one). Serves the core's other messages while it waits.
    /// </summary>
    public async CoreTask<bool> RequestAsync(CoreContext ctx, PageOperation operation)
    {
        ctx.Compute(ctx.Emulation.Topology.Model.Costs.LocalRpc); // the application calls its monitor
        if (_core == _network.Owner) _queued.Enqueue((_core, operation));
        else await _monitor.SendAsync(ctx, _network.Owner, MonitorMessage.Create(Protocol, operation.Map ? MapRequestKind : UnmapRequestKind, operation.Id, operation.Page, operation.Frame));
        bool applied;
        while (!_replies.Remove(operation.Id, out applied))
        {
            if (await RunQueuedOperationsAsync(ctx)) continue; // the owner's own request: performed in its turn
            if (!await _monitor.ServeOnceAsync(ctx)) await _monitor.WaitAsync(ctx, idle: false, "map/unmap reply");
        }
        return applied;
    }

    /// <summary>Handles a request or a reply; false when <paramref name="message"/> is a shootdown message.</summary>
    private async CoreTask<bool> HandleOperationMessageAsync(CoreContext ctx, int from, UrpcMessage message)
    {
        switch (MonitorMessage.Kind(message))
        {
            case MapRequestKind or UnmapRequestKind:
                SafetyViolationException.Check(_core == _network.Owner, $"core {_core} got a map/unmap request from core {from} but does not own the page table");
                var operation = new PageOperation(message.W0, MonitorMessage.Kind(message) == MapRequestKind, (int)message.W1, message.W2);
                if (_variant == ShootdownVariant.UnserializedOwner) await PerformOperationAsync(ctx, from, operation); // seeded bug: no queue
                else if (_variant == ShootdownVariant.RefuseUnmapOnArrival && !operation.Map && !PageTable.IsValid(await _table.WalkAsync(ctx, operation.Page)))
                    await ReplyAsync(ctx, from, operation, applied: false); // seeded bug: the unmap that cleared it may still be shooting down
                else
                {
                    _queued.Enqueue((from, operation));
                    await RunQueuedOperationsAsync(ctx); // at once, unless this arrived during an operation: then it waits its turn
                }
                return true;
            case OperationReplyKind:
                _replies[message.W0] = message.W1 != 0;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The owner performs the queued operations in arrival order, each to its end (an unmap's shootdown included)
    /// before the next; requests arriving meanwhile (its waits run monitor passes) only join the queue.
    /// </summary>
    private async CoreTask<bool> RunQueuedOperationsAsync(CoreContext ctx)
    {
        if (_operating || _queued.Count == 0) return false;
        _operating = true;
        while (_queued.TryDequeue(out var request)) await PerformOperationAsync(ctx, request.From, request.Operation);
        _operating = false;
        return true;
    }

    private async CoreTask PerformOperationAsync(CoreContext ctx, int from, PageOperation operation)
    {
        var entry = await _table.WalkAsync(ctx, operation.Page);
        bool applied;
        if (operation.Map)
        {
            applied = !PageTable.IsValid(entry); // mapping over a mapped page is refused (as Barrelfish's vnode_map)
            if (applied) await _table.MapAsync(ctx, operation.Page, operation.Frame);
        }
        else
        {
            applied = PageTable.IsValid(entry);
            if (applied) await ShootdownAsync(ctx, operation.Id, operation.Page, unmap: true, PageTable.FrameOf(entry));
        }
        await ReplyAsync(ctx, from, operation, applied);
    }

    private async CoreTask ReplyAsync(CoreContext ctx, int from, PageOperation operation, bool applied)
    {
        if (ctx.Recording) ctx.Record(operation.Map ? "map" : "unmap", from, applied ? "applied" : "refused");
        _observer?.OperationDone(_core, operation, applied);
        if (from == _core) _replies[operation.Id] = applied;
        else await _monitor.SendAsync(ctx, from, MonitorMessage.Create(Protocol, OperationReplyKind, operation.Id, applied ? 1 : 0));
    }
}
