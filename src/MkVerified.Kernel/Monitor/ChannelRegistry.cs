using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Kernel.Monitor;

/// <summary>
/// Creates each core pair's URPC channel once, the first time either monitor asks for it, and hands each side its
/// endpoint. A construction-time helper: monitors are connected before the emulation runs, and the running cores
/// only ever touch their own endpoints.
/// </summary>
public sealed class ChannelRegistry(Emulation emulation, UrpcOptions? options = null)
{
    private readonly Dictionary<(int Low, int High), UrpcChannel> _channels = [];

    public int ChannelCount => _channels.Count;

    /// <summary>The endpoint core <paramref name="core"/> uses to talk to <paramref name="peer"/>.</summary>
    public UrpcEndpoint EndpointFor(int core, int peer)
    {
        var key = (Math.Min(core, peer), Math.Max(core, peer));
        if (!_channels.TryGetValue(key, out var channel))
            _channels[key] = channel = new UrpcChannel(emulation, key.Item1, key.Item2, options);
        return core == key.Item1 ? channel.A : channel.B;
    }
}
