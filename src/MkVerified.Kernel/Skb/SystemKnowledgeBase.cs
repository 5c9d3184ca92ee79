using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MkVerified.Hardware;

namespace MkVerified.Kernel.Skb;

/// <summary>
/// The System Knowledge Base: topology facts derived from the machine model (distances, package membership,
/// nearest cores) and the multicast trees protocols send on. Every core can build the same answers locally
/// from the same model, so it is replicated knowledge, not shared state.
/// </summary>
public sealed class SystemKnowledgeBase(Topology topology)
{
    private static readonly ConditionalWeakTable<Topology, SystemKnowledgeBase> Shared = [];
    private readonly ConcurrentDictionary<TreeKey, MulticastTree> _trees = new();

    public Topology Topology { get; } = topology;

    /// <summary>
    /// The knowledge base of <paramref name="topology"/>, one per topology: its answers depend on the model only, so
    /// emulations of one machine (thousands per exploration) share it and each tree is built once.
    /// </summary>
    public static SystemKnowledgeBase For(Topology topology) => Shared.GetValue(topology, t => new SystemKnowledgeBase(t));

    /// <summary>Interconnect hops between the packages of two cores (0 within a package).</summary>
    public int Distance(int a, int b) => Topology.CoreHops(a, b);

    public bool SamePackage(int a, int b) => Topology.PackageOf(a) == Topology.PackageOf(b);

    /// <summary>Other cores ordered by how far a line travels from <paramref name="core"/> (path kind, hops), then id.</summary>
    public IReadOnlyList<int> NearestCores(int core) =>
        Enumerable.Range(0, Topology.CoreCount).Where(c => c != core)
            .OrderBy(c => Topology.Distance(core, c)).ThenBy(c => c).ToList();

    /// <summary>A tree over cores 0..count-1 (the first <paramref name="count"/> cores) rooted at <paramref name="root"/>.</summary>
    public MulticastTree BuildTree(int root, int count, TreeKind kind) =>
        BuildTree(root, Enumerable.Range(0, count).Where(c => c != root).ToList(), kind);

    /// <summary>
    /// Builds the tree reaching every core of <paramref name="targets"/> exactly once from <paramref name="root"/>.
    /// Multicast kinds pick the lowest-numbered target of each remote package as its aggregator; the root's own
    /// package is served by the root directly. NUMA orders the root's sends farthest package first.
    /// </summary>
    public MulticastTree BuildTree(int root, IReadOnlyCollection<int> targets, TreeKind kind)
    {
        var key = new TreeKey(root, kind, [.. targets]);
        if (_trees.TryGetValue(key, out var built)) return built;
        return _trees.GetOrAdd(key, Build(root, targets, kind));
    }

    private MulticastTree Build(int root, IReadOnlyCollection<int> targets, TreeKind kind)
    {
        if (root < 0 || root >= Topology.CoreCount) throw new ArgumentOutOfRangeException(nameof(root), $"core {root} does not exist");
        var tree = new MulticastTree(root, kind);
        var distinct = targets.Where(t => t != root).Distinct().OrderBy(t => t).ToList();
        foreach (var t in distinct)
            if (t < 0 || t >= Topology.CoreCount) throw new ArgumentOutOfRangeException(nameof(targets), $"core {t} does not exist");
        if (kind == TreeKind.Unicast)
        {
            foreach (var t in distinct) tree.Add(root, t);
            return tree;
        }
        var rootPackage = Topology.PackageOf(root);
        var byPackage = distinct.GroupBy(Topology.PackageOf).ToDictionary(g => g.Key, g => g.ToList());
        var packages = byPackage.Keys.Where(p => p != rootPackage).ToList();
        packages = kind == TreeKind.Numa
            ? packages.OrderByDescending(p => Topology.Hops(rootPackage, p)).ThenBy(p => p).ToList()
            : packages.OrderBy(p => p).ToList();
        var localFirst = kind == TreeKind.Multicast;
        if (localFirst && byPackage.TryGetValue(rootPackage, out var local0))
            foreach (var c in local0) tree.Add(root, c);
        foreach (var p in packages)
        {
            var cores = byPackage[p];
            var aggregator = cores[0];
            tree.Add(root, aggregator);
            foreach (var c in cores.Skip(1)) tree.Add(aggregator, c);
        }
        if (!localFirst && byPackage.TryGetValue(rootPackage, out var local1))
            foreach (var c in local1) tree.Add(root, c);
        return tree;
    }

    /// <summary>A tree request: root, kind and the targets as given (order and repeats included).</summary>
    private readonly record struct TreeKey(int Root, TreeKind Kind, int[] Targets)
    {
        public bool Equals(TreeKey other) => Root == other.Root && Kind == other.Kind && Targets.AsSpan().SequenceEqual(other.Targets);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Root);
            hash.Add(Kind);
            foreach (var t in Targets) hash.Add(t);
            return hash.ToHashCode();
        }
    }
}
