using MkVerified.Runtime;

namespace MkVerified.Urpc;

/// <summary>
/// The incoming side of one core's message loop: its endpoints, polled once each in a fixed order per pass, and the
/// lines to wait on when a pass found nothing. Shared by the per-core services so the loop is written once.
/// </summary>
public sealed class EndpointSet(IReadOnlyList<UrpcEndpoint> endpoints)
{
    private readonly int[] _lines = new int[endpoints.Count + 1];

    /// <summary>Handles one message taken from the endpoint to <paramref name="peer"/>.</summary>
    public delegate CoreTask MessageHandler(CoreContext ctx, int peer, UrpcMessage message);

    public IReadOnlyList<UrpcEndpoint> Endpoints => endpoints;

    /// <summary>Polls every endpoint once and hands each message taken to <paramref name="handle"/>; returns whether any arrived.</summary>
    public async CoreTask<bool> PumpAsync(CoreContext ctx, MessageHandler handle)
    {
        var any = false;
        foreach (var endpoint in endpoints)
        {
            if (!await endpoint.PollAsync(ctx) && endpoint.Pending == 0) continue;
            while (endpoint.TryTake(ctx, out var message))
            {
                any = true;
                await handle(ctx, endpoint.Peer, message);
            }
        }
        return any;
    }

    /// <summary>The lines to wait on: <paramref name="extraLine"/> first (when not negative), then each endpoint's next incoming slot.</summary>
    public ReadOnlySpan<int> WaitLines(int extraLine = -1)
    {
        var i = 0;
        if (extraLine >= 0) _lines[i++] = extraLine;
        foreach (var e in endpoints) _lines[i++] = e.IncomingLine;
        return _lines.AsSpan(0, i);
    }
}
