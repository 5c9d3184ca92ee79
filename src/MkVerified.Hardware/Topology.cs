namespace MkVerified.Hardware;

/// <summary>
/// Facts derived once from a model: where each core sits, hop distances between packages, the path class of a core
/// pair and what a transfer costs when it stays on one chip (transfers that leave a chip are timed by the interconnect).
/// </summary>
public sealed class Topology
{
    private readonly int[] _packageOf;
    private readonly int[] _dieOf; // globally unique die index
    private readonly int[,] _packageHops;

    public Topology(MachineModel model)
    {
        Model = model;
        CoreCount = model.CoreCount;
        PackageCount = model.Packages.Count;
        _packageOf = new int[CoreCount];
        _dieOf = new int[CoreCount];
        var dieIndex = 0;
        foreach (var p in model.Packages.OrderBy(p => p.Id))
        {
            foreach (var d in p.Dies.OrderBy(d => d.Id))
            {
                foreach (var c in d.Cores)
                {
                    _packageOf[c] = p.Id;
                    _dieOf[c] = dieIndex;
                }
                dieIndex++;
            }
        }
        DieCount = dieIndex;
        _packageHops = PackageHops(PackageCount, model.Links, model.Interconnect);
        SharedCacheScope = model.Caches.Where(c => c.SharedBy != CacheSharing.Core).Select(c => c.SharedBy).DefaultIfEmpty(CacheSharing.Core).Min();
    }

    public MachineModel Model { get; }
    public int CoreCount { get; }
    public int PackageCount { get; }
    public int DieCount { get; }

    /// <summary>The narrowest scope at which some cache level is shared (Core when no cache is shared).</summary>
    public CacheSharing SharedCacheScope { get; }

    public int PackageOf(int core) => _packageOf[core];
    public int DieOf(int core) => _dieOf[core];
    public int Hops(int packageA, int packageB) => _packageHops[packageA, packageB];
    public int CoreHops(int a, int b) => _packageHops[_packageOf[a], _packageOf[b]];

    /// <summary>
    /// True when a line moves between the two cores without the interconnect: a shared cache, or one die; on a
    /// point-to-point machine also one package (its crossbar). On a bus every transfer between dies crosses the bus.
    /// </summary>
    public bool SameChip(int a, int b)
    {
        if (_packageOf[a] != _packageOf[b]) return false;
        if (Model.Interconnect == InterconnectKind.PointToPoint) return true;
        return _dieOf[a] == _dieOf[b] || SharedCacheScope == CacheSharing.Package;
    }

    /// <summary>Cycles to move a line from core <paramref name="from"/>'s cache to core <paramref name="to"/> on one chip (<see cref="SameChip"/>).</summary>
    public int OnChipCost(int from, int to)
    {
        var c = Model.Costs;
        return Path(from, to).Kind switch
        {
            PathKind.Local => c.CacheHit,
            PathKind.SharedCache => c.SharedCacheTransfer,
            PathKind.SameDie => c.SameDieTransfer,
            _ => c.CrossDieTransfer,
        };
    }

    /// <summary>Orders core pairs by how far a line travels between them: path kind, then interconnect hops.</summary>
    public int Distance(int a, int b)
    {
        var p = Path(a, b);
        return (int)p.Kind * 1024 + p.HopCount;
    }

    public IEnumerable<int> CoresOfPackage(int package)
    {
        for (var c = 0; c < CoreCount; c++)
            if (_packageOf[c] == package) yield return c;
    }

    public PathClass Path(int a, int b)
    {
        if (a == b) return new PathClass(PathKind.Local, 0);
        var samePackage = _packageOf[a] == _packageOf[b];
        var sameDie = _dieOf[a] == _dieOf[b];
        if ((SharedCacheScope == CacheSharing.Die && sameDie) || (SharedCacheScope == CacheSharing.Package && samePackage))
            return new PathClass(PathKind.SharedCache, 0);
        if (sameDie) return new PathClass(PathKind.SameDie, 0);
        if (samePackage || Model.Interconnect == InterconnectKind.Bus) return new PathClass(PathKind.CrossDie, 0);
        return new PathClass(PathKind.Hops, _packageHops[_packageOf[a], _packageOf[b]]);
    }

    /// <summary>Hop distances between packages by breadth-first search over the links (-1: unreachable). A bus is one hop between any two packages.</summary>
    public static int[,] PackageHops(int packages, IReadOnlyList<(int A, int B)> links, InterconnectKind kind)
    {
        var hops = new int[packages, packages];
        if (kind == InterconnectKind.Bus)
        {
            for (var a = 0; a < packages; a++)
                for (var b = 0; b < packages; b++)
                    hops[a, b] = a == b ? 0 : 1;
            return hops;
        }
        var adjacency = new List<int>[packages];
        for (var p = 0; p < packages; p++) adjacency[p] = [];
        foreach (var (a, b) in links)
        {
            adjacency[a].Add(b);
            adjacency[b].Add(a);
        }
        var queue = new Queue<int>();
        for (var src = 0; src < packages; src++)
        {
            for (var p = 0; p < packages; p++) hops[src, p] = -1;
            hops[src, src] = 0;
            queue.Enqueue(src);
            while (queue.Count > 0)
            {
                var u = queue.Dequeue();
                foreach (var v in adjacency[u])
                {
                    if (hops[src, v] >= 0) continue;
                    hops[src, v] = hops[src, u] + 1;
                    queue.Enqueue(v);
                }
            }
        }
        return hops;
    }

    /// <summary>One representative core per distinct path class seen from <paramref name="from"/> (the lowest-numbered), nearest first.</summary>
    public IReadOnlyList<(PathClass Path, int Core)> RepresentativePaths(int from)
    {
        var seen = new Dictionary<string, (PathClass, int)>();
        for (var c = 0; c < CoreCount; c++)
        {
            if (c == from) continue;
            var p = Path(from, c);
            if (!seen.ContainsKey(p.Name)) seen[p.Name] = (p, c);
        }
        return seen.Values.OrderBy(v => Distance(from, v.Item2)).ThenBy(v => v.Item2).ToList();
    }
}
