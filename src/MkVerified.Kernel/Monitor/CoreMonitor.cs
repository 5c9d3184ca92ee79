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
        _lines = new int[_endpoints.Count];
    }

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

    /// <summary>The monitor loop: local work, then pending messages, then a poll of every channel, else wait.</summary>
    public async CoreTask RunAsync(CoreContext ctx)
    {
        if (ctx.Id != Core) throw new InvalidOperationException($"monitor of core {Core} started on core {ctx.Id}");
        while (!_stop)
        {
            if (LocalWork is { } work && work.TryStep(ctx.Clock, _outbox))
            {
                await FlushAsync(ctx);
                continue;
            }
            if (await TakeAllAsync(ctx)) continue;
            // Each poll is a scheduling point, so a peer may write a channel polled earlier in this pass: the stamp
            // makes the wait return at once then, as a monitor spinning on its channels would see the write next pass.
            var stamp = ctx.PollStamp;
            var polled = false;
            foreach (var e in _endpoints)
                if (await e.PollAsync(ctx)) polled = true;
            if (polled || _stop) continue;
            for (var i = 0; i < _endpoints.Count; i++) _lines[i] = _endpoints[i].IncomingLine;
            await ctx.WaitForAnyWrite(_lines, idle: !Busy, "a monitor message", stamp);
        }
    }

    private async CoreTask<bool> TakeAllAsync(CoreContext ctx)
    {
        var any = false;
        foreach (var e in _endpoints)
        {
            while (e.TryTake(ctx, out var message))
            {
                any = true;
                Dispatch(e.Peer, message, ctx.Clock);
                await FlushAsync(ctx);
            }
        }
        return any;
    }

    private void Dispatch(int from, in UrpcMessage message, long clock)
    {
        var protocol = MonitorMessage.Protocol(message);
        if (!_handlers.TryGetValue(protocol, out var handler))
            throw new InvalidOperationException($"core {Core} got a message for protocol {protocol} it has no handler for ({message})");
        MessagesHandled++;
        handler.Handle(from, message, clock, _outbox);
    }

    private async CoreTask FlushAsync(CoreContext ctx)
    {
        // Sending may wait for credit and pull incoming messages into the inboxes; they are dispatched afterwards.
        for (var i = 0; i < _outbox.Count; i++)
        {
            var (peer, message) = _outbox[i];
            if (!_byPeer.TryGetValue(peer, out var endpoint))
                throw new InvalidOperationException($"core {Core} has no channel to core {peer}");
            await endpoint.SendAsync(ctx, message);
        }
        _outbox.Clear();
    }
}
