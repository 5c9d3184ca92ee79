namespace MkVerified.Kernel.Skb;

/// <summary>
/// A spanning tree from a root over a set of target cores, as data: each node's children in sending order.
/// Requests go down the tree; replies are aggregated back up it.
/// </summary>
public sealed class MulticastTree
{
    private readonly Dictionary<int, List<int>> _children = [];
    private readonly Dictionary<int, int> _parent = [];

    internal MulticastTree(int root, TreeKind kind)
    {
        Root = root;
        Kind = kind;
        _children[root] = [];
    }

    public int Root { get; }
    public TreeKind Kind { get; }

    /// <summary>Every core of the tree but the root, in the order they were added.</summary>
    public IReadOnlyList<int> Targets => _parent.Keys.ToList();

    public IReadOnlyList<int> ChildrenOf(int core) => _children.TryGetValue(core, out var c) ? c : [];

    /// <summary>The core a node replies to (-1 for the root).</summary>
    public int ParentOf(int core) => _parent.TryGetValue(core, out var p) ? p : -1;

    public bool Contains(int core) => core == Root || _parent.ContainsKey(core);

    /// <summary>Number of cores below <paramref name="core"/> (not counting itself).</summary>
    public int DescendantCount(int core) => ChildrenOf(core).Sum(c => 1 + DescendantCount(c));

    internal void Add(int parent, int child)
    {
        if (Contains(child)) throw new InvalidOperationException($"core {child} is already in the tree");
        _children[parent].Add(child);
        _children[child] = [];
        _parent[child] = parent;
    }

    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        void Walk(int node, int depth)
        {
            sb.Append(new string(' ', depth * 2)).Append(node).Append('\n');
            foreach (var c in ChildrenOf(node)) Walk(c, depth + 1);
        }
        Walk(Root, 0);
        return sb.ToString();
    }
}
