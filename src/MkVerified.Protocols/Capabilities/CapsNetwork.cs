using MkVerified.Kernel.Monitor;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Capabilities;

/// <summary>
/// The monitors taking part in capability operations: one per member core (the core's one message loop, where the
/// capability service registers), one URPC channel per pair of members, built before the run. A construction helper
/// only: at run time each core touches just its own monitor and endpoints.
/// </summary>
public sealed class CapsNetwork
{
    private readonly ChannelRegistry _channels;
    private readonly Dictionary<int, CoreMonitor> _monitors = [];

    /// <summary>The emulation the channels live in (the services record their machines' transitions there).</summary>
    public Emulation Emulation { get; }

    public CapsNetwork(Emulation emulation, IReadOnlyList<int> members, UrpcOptions? options = null)
    {
        Emulation = emulation;
        Members = members.OrderBy(m => m).ToList();
        _channels = new ChannelRegistry(emulation, options);
        // Every channel is created here, pair by pair in member order (which fixes where its rings live).
        for (var i = 0; i < Members.Count; i++)
            for (var j = i + 1; j < Members.Count; j++)
                _channels.EndpointFor(Members[i], Members[j]);
    }

    public IReadOnlyList<int> Members { get; }

    /// <summary>Core <paramref name="core"/>'s monitor, connected to every other member in the order of their ids (the order it polls them). Built on first use.</summary>
    public CoreMonitor MonitorOf(int core)
    {
        if (_monitors.TryGetValue(core, out var monitor)) return monitor;
        if (!Members.Contains(core)) throw new ArgumentException($"core {core} is not a member of this capability network");
        monitor = _monitors[core] = new CoreMonitor(core, _channels);
        foreach (var peer in Members) monitor.Connect(peer);
        return monitor;
    }
}
