using MkVerified.Kernel.Monitor;
using MkVerified.Kernel.Skb;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// The monitors and channels a shootdown uses, built before the run from the SKB's tree: one monitor per core (the
/// core's one message loop, where the shootdown service registers), one URPC channel per tree edge (requests down,
/// acks up), plus for broadcast one shared channel from the initiator to every target. A construction helper only: at
/// run time each core touches just its own monitor and endpoints.
/// </summary>
public sealed class ShootdownNetwork
{
    private readonly ChannelRegistry _channels;
    private readonly Dictionary<int, CoreMonitor> _monitors = [];
    private readonly Dictionary<int, SortedSet<int>> _peers = [];

    /// <summary>The emulation the channels live in (the services record their machines' transitions there).</summary>
    public Emulation Emulation { get; }

    public ShootdownNetwork(Emulation emulation, ShootdownProtocol protocol, int initiator, IReadOnlyList<int> targets, ShootdownVariant variant = ShootdownVariant.Correct, UrpcOptions? options = null)
    {
        Emulation = emulation;
        Protocol = protocol;
        Owner = initiator;
        var skb = SystemKnowledgeBase.For(emulation.Topology);
        var reached = targets.Where(t => t != initiator).ToList();
        if (variant == ShootdownVariant.TreeMissesACore && reached.Count > 0) reached.RemoveAt(reached.Count - 1); // seeded bug
        var kind = protocol switch
        {
            ShootdownProtocol.Multicast => TreeKind.Multicast,
            ShootdownProtocol.NumaMulticast => TreeKind.Numa,
            _ => TreeKind.Unicast,
        };
        Tree = skb.BuildTree(initiator, reached, kind);
        _channels = new ChannelRegistry(emulation, options);
        _peers[initiator] = [];
        foreach (var parent in new[] { initiator }.Concat(Tree.Targets))
            foreach (var child in Tree.ChildrenOf(parent)) AddChannel(parent, child);
        if (protocol == ShootdownProtocol.Broadcast && Tree.Targets.Count > 0)
            Broadcast = new BroadcastChannel(emulation, initiator, Tree.Targets, options);
    }

    /// <summary>The core whose monitor owns the page table: the initiator, the tree's root.</summary>
    public int Owner { get; }

    public ShootdownProtocol Protocol { get; }
    public MulticastTree Tree { get; }
    public BroadcastChannel? Broadcast { get; }

    /// <summary>
    /// Gives every core in <paramref name="requesters"/> a channel to the owner (if the tree has no edge between them),
    /// so it can forward maps and unmaps there. Call before the services are built: they take their monitors then.
    /// </summary>
    public void AddOwnerChannels(IEnumerable<int> requesters)
    {
        foreach (var core in requesters.Where(c => c != Owner && !_peers[Owner].Contains(c))) AddChannel(Owner, core);
    }

    /// <summary>
    /// Core <paramref name="core"/>'s monitor, connected to its peers in the order of their ids (the order it polls
    /// them) and reading the broadcast channel if it is a target of one. Built on first use.
    /// </summary>
    public CoreMonitor MonitorOf(int core)
    {
        if (_monitors.TryGetValue(core, out var monitor)) return monitor;
        monitor = _monitors[core] = new CoreMonitor(core, _channels);
        foreach (var peer in _peers.GetValueOrDefault(core) ?? []) monitor.Connect(peer);
        if (Broadcast is { } broadcast && broadcast.Readers.Contains(core)) monitor.Listen(broadcast);
        return monitor;
    }

    // The channel is created here, in tree order (which fixes where its rings live); monitors connect to it later.
    private void AddChannel(int parent, int child)
    {
        if (_monitors.Count > 0) throw new InvalidOperationException("add channels before the first monitor is built");
        _channels.EndpointFor(parent, child);
        (_peers.TryGetValue(parent, out var p) ? p : _peers[parent] = []).Add(child);
        (_peers.TryGetValue(child, out var c) ? c : _peers[child] = []).Add(parent);
    }
}
