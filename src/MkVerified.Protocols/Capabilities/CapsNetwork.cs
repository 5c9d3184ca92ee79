using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The channels between the monitors taking part in capability operations: one URPC channel per pair of member
/// cores, built before the run. A construction helper only: at run time each core touches just its own endpoints.
/// </summary>
public sealed class CapsNetwork
{
    private readonly Dictionary<(int, int), UrpcEndpoint> _endpoints = [];

    /// <summary>The emulation the channels live in (the services record their machines' transitions there).</summary>
    public Emulation Emulation { get; }

    public CapsNetwork(Emulation emulation, IReadOnlyList<int> members, UrpcOptions? options = null)
    {
        Emulation = emulation;
        Members = members.OrderBy(m => m).ToList();
        if (Members.Any(m => m >= Kernel.Caps.CoreSet.Limit))
            throw new ArgumentException($"capability members must be cores below {Kernel.Caps.CoreSet.Limit}: relation sets are one word");
        for (var i = 0; i < Members.Count; i++)
        {
            for (var j = i + 1; j < Members.Count; j++)
            {
                var channel = new UrpcChannel(emulation, Members[i], Members[j], options);
                _endpoints[(Members[i], Members[j])] = channel.A;
                _endpoints[(Members[j], Members[i])] = channel.B;
            }
        }
    }

    public IReadOnlyList<int> Members { get; }

    public UrpcEndpoint Endpoint(int core, int peer) => _endpoints[(core, peer)];

    public IReadOnlyList<UrpcEndpoint> EndpointsOf(int core) => Members.Where(m => m != core).Select(m => _endpoints[(core, m)]).ToList();
}
