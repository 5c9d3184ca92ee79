using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Kernel.Monitor;

/// <summary>
/// A core's monitor: it owns the URPC endpoints to the cores it talks to, polls them, and routes each message to the
/// protocol handler named by its protocol id (see <see cref="MonitorMessage"/> for the word layout). Between messages
/// it runs the core's local work. When nothing is pending it waits on every channel's next slot at once, as idle
/// when no protocol run is unfinished here (so a finished system ends quiescent and a stuck one ends deadlocked).
/// </summary>
public sealed class CoreMonitor
{
    private readonly ChannelRegistry _registry;
    private readonly Dictionary<int, UrpcEndpoint> _byPeer = [];
    private readonly List<UrpcEndpoint> _endpoints = [];
    private readonly Dictionary<int, IProtocolHandler> _handlers = [];
    private readonly Outbox _outbox = new();
    private int[] _lines = [];
    private BroadcastChannel? _broadcast;
    private long _stamp;
    private bool _stop;

    public CoreMonitor(int core, ChannelRegistry registry)
    {
        Core = core;
        _registry = registry;
    }

    public int Core { get; }
    public ILocalWork? LocalWork { get; set; }
    public long MessagesHandled { get; private set; }
    public IReadOnlyCollection<int> Peers => _byPeer.Keys;

    /// <summary>Makes sure this monitor has a channel to <paramref name="peer"/> (construction time only).</summary>
    public void Connect(int peer)
    {
        if (peer == Core || _byPeer.ContainsKey(peer)) return;
        var endpoint = _registry.EndpointFor(Core, peer);
        _byPeer[peer] = endpoint;
        _endpoints.Add(endpoint);
        _lines = new int[_endpoints.Count + 1];
    }

    /// <summary>Also reads the shared <paramref name="channel"/> (construction time only); it is polled first in each pass.</summary>
    public void Listen(BroadcastChannel channel) => _broadcast = channel;

    public void Register(IProtocolHandler handler)
    {
        if (!_handlers.TryAdd(handler.ProtocolId, handler))
            throw new InvalidOperationException($"core {Core} already has a handler for protocol {handler.ProtocolId}");
    }

    /// <summary>Ends the monitor loop after the current message (called by local code on this core).</summary>
    public void RequestStop() => _stop = true;

    private bool Busy
    {
        get
        {
            if (LocalWork is { Pending: true }) return true;
            foreach (var h in _handlers.Values)
                if (h.Busy) return true;
            return false;
        }
    }

    /// <summary>The monitor loop: passes (<see cref="ServeOnceAsync"/>) until one finds nothing, then a wait.</summary>
    public async CoreTask RunAsync(CoreContext ctx)
    {
        if (ctx.Id != Core) throw new InvalidOperationException($"monitor of core {Core} started on core {ctx.Id}");
        while (!_stop)
        {
            if (await ServeOnceAsync(ctx) || _stop) continue;
            await WaitAsync(ctx, idle: !Busy, "a monitor message");
        }
    }

    /// <summary>
    /// One pass of the loop: a step of local work, else the messages already pulled in (a send waiting for credit pulls
    /// them), else a poll of every channel (the shared one first), each message handled as soon as its poll pulls it
    /// in. Returns whether it did anything. Local code that waits for a reply (an unmap waiting for its acks) runs
    /// passes itself, with <see cref="WaitAsync"/> between them: the core still has one message loop.
    /// </summary>
    public async CoreTask<bool> ServeOnceAsync(CoreContext ctx)
    {
        if (LocalWork is { } work && work.TryStep(ctx.Clock, _outbox))
        {
            await FlushAsync(ctx);
            return true;
        }
        if (await TakeAllAsync(ctx)) return true;
        // Each poll is a scheduling point, so a peer may write a channel polled earlier in this pass: the stamp
        // makes the wait return at once then, as a monitor spinning on its channels would see the write next pass.
        _stamp = ctx.PollStamp;
        var polled = false;
        if (_broadcast is { } broadcast && await broadcast.PollAsync(ctx) is { } shared)
        {
            polled = true;
            await DispatchAsync(ctx, broadcast.Writer, shared);
        }
        foreach (var e in _endpoints)
        {
            if (!await e.PollAsync(ctx)) continue;
            polled = true;
            while (e.TryTake(ctx, out var message))
                await DispatchAsync(ctx, e.Peer, message);
        }
        return polled;
    }

    /// <summary>Waits until a channel's next slot (or the shared channel's) is written after the last pass polled it.</summary>
    public async CoreTask WaitAsync(CoreContext ctx, bool idle, string waitingFor)
    {
        var n = 0;
        if (_broadcast is { } broadcast) _lines[n++] = broadcast.IncomingLine(Core);
        foreach (var e in _endpoints) _lines[n++] = e.IncomingLine;
        await ctx.WaitForAnyWrite(_lines.AsSpan(0, n), idle, waitingFor, _stamp);
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="peer"/> now (for a handler's <see cref="IProtocolHandler.PerformAsync"/>).</summary>
    public CoreTask SendAsync(CoreContext ctx, int peer, UrpcMessage message) => EndpointTo(peer).SendAsync(ctx, message);

    private async CoreTask<bool> TakeAllAsync(CoreContext ctx)
    {
        var any = false;
        foreach (var e in _endpoints)
        {
            while (e.TryTake(ctx, out var message))
            {
                any = true;
                await DispatchAsync(ctx, e.Peer, message);
            }
        }
        return any;
    }

    private IProtocolHandler HandlerFor(in UrpcMessage message)
    {
        var protocol = MonitorMessage.Protocol(message);
        return _handlers.TryGetValue(protocol, out var handler) ? handler
            : throw new InvalidOperationException($"core {Core} got a message for protocol {protocol} it has no handler for ({message})");
    }

    private async CoreTask DispatchAsync(CoreContext ctx, int from, UrpcMessage message)
    {
        var handler = HandlerFor(message);
        MessagesHandled++;
        handler.Handle(from, message, ctx.Clock, _outbox);
        await FlushAsync(ctx);
        await handler.PerformAsync(ctx, from, message);
    }

    private async CoreTask FlushAsync(CoreContext ctx)
    {
        // Sending may wait for credit and pull incoming messages into the inboxes; they are dispatched afterwards.
        for (var i = 0; i < _outbox.Count; i++)
        {
            var (peer, message) = _outbox[i];
            await EndpointTo(peer).SendAsync(ctx, message);
        }
        _outbox.Clear();
    }

    private UrpcEndpoint EndpointTo(int peer) =>
        _byPeer.TryGetValue(peer, out var endpoint) ? endpoint : throw new InvalidOperationException($"core {Core} has no channel to core {peer}");
}
