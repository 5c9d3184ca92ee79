using MkVerified.Kernel.Skb;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// The channels a shootdown uses, built before the run from the SKB's tree: one URPC channel per tree edge
/// (requests down, acks up), plus for broadcast one shared channel from the initiator to every target. A construction
/// helper only: at run time each core touches just its own endpoints.
/// </summary>
public sealed class ShootdownNetwork
{
    private readonly Dictionary<(int, int), UrpcEndpoint> _endpoints = [];

    /// <summary>The emulation the channels live in (the services record their machines' transitions there).</summary>
    public Emulation Emulation { get; }

    public ShootdownNetwork(Emulation emulation, ShootdownProtocol protocol, int initiator, IReadOnlyList<int> targets, ShootdownVariant variant = ShootdownVariant.Correct, UrpcOptions? options = null)
    {
        Emulation = emulation;
        Protocol = protocol;
        Owner = initiator;
        var skb = new SystemKnowledgeBase(emulation.Topology);
        var reached = targets.Where(t => t != initiator).ToList();
        if (variant == ShootdownVariant.TreeMissesACore && reached.Count > 0) reached.RemoveAt(reached.Count - 1); // seeded bug
        var kind = protocol switch
        {
            ShootdownProtocol.Multicast => TreeKind.Multicast,
            ShootdownProtocol.NumaMulticast => TreeKind.Numa,
            _ => TreeKind.Unicast,
        };
        Tree = skb.BuildTree(initiator, reached, kind);
        foreach (var parent in new[] { initiator }.Concat(Tree.Targets))
        {
            foreach (var child in Tree.ChildrenOf(parent))
            {
                var channel = new UrpcChannel(emulation, parent, child, options);
                _endpoints[(parent, child)] = channel.A;
                _endpoints[(child, parent)] = channel.B;
            }
        }
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
    /// so it can forward maps and unmaps there. Call before the services are built: they take their endpoints then.
    /// </summary>
    public void AddOwnerChannels(IEnumerable<int> requesters, UrpcOptions? options = null)
    {
        foreach (var core in requesters.Where(c => c != Owner && !_endpoints.ContainsKey((Owner, c))))
        {
            var channel = new UrpcChannel(Emulation, Owner, core, options);
            _endpoints[(Owner, core)] = channel.A;
            _endpoints[(core, Owner)] = channel.B;
        }
    }

    public UrpcEndpoint Endpoint(int core, int peer) => _endpoints[(core, peer)];

    /// <summary>The endpoints owned by <paramref name="core"/>.</summary>
    public IReadOnlyList<UrpcEndpoint> EndpointsOf(int core) => _endpoints.Where(e => e.Key.Item1 == core).OrderBy(e => e.Key.Item2).Select(e => e.Value).ToList();
}
