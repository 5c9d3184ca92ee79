namespace MkVerified.Hardware;

/// <summary>
/// The interconnect as a network of nodes (one per package, plus the chipset hub on a bus machine) joined by links,
/// each node with a coherence engine and each package with its on-chip fabric. It times the messages of a coherence
/// transaction: a message crossing a link books the link's direction for its occupancy and arrives one link latency
/// later (cut-through: its length is paid once, at the end);  Queueing emerges from the bookings. Routes are shortest paths, lowest node id first on ties.
/// On a bus the links are the packages' front-side buses to the hub, one resource for both directions.
/// </summary>
public sealed class InterconnectFabric
{
    private readonly CoherenceSpec _spec;
    private readonly int _packages;
    private readonly int _nodes;
    private readonly (int From, int To)[] _links;   // directed links
    private readonly int[] _linkResource;           // directed link -> resource id
    private readonly List<int>[] _outgoing;         // node -> directed links leaving it, by destination id
    private readonly int[]?[] _toward;              // destination -> (node -> first directed link of the route)
    private readonly ResourceCalendar _calendar;
    private readonly int _homeBase;
    private readonly int _probeBase;
    private readonly int _onChipBase;

    public InterconnectFabric(MachineModel model)
    {
        _spec = model.Coherence;
        _packages = model.Packages.Count;
        var bus = model.Interconnect == InterconnectKind.Bus;
        Hub = bus ? _packages : -1;
        _nodes = _packages + (bus ? 1 : 0);
        var edges = bus ? Enumerable.Range(0, _packages).Select(p => (p, Hub)).ToList() : model.Links.ToList();
        _links = new (int, int)[edges.Count * 2];
        _linkResource = new int[edges.Count * 2];
        _outgoing = new List<int>[_nodes];
        for (var n = 0; n < _nodes; n++) _outgoing[n] = [];
        for (var e = 0; e < edges.Count; e++)
        {
            var (a, b) = edges[e];
            _links[2 * e] = (a, b);
            _links[2 * e + 1] = (b, a);
            _linkResource[2 * e] = bus ? e : 2 * e;
            _linkResource[2 * e + 1] = bus ? e : 2 * e + 1;
            _outgoing[a].Add(2 * e);
            _outgoing[b].Add(2 * e + 1);
        }
        foreach (var list in _outgoing) list.Sort((x, y) => _links[x].To.CompareTo(_links[y].To));
        _toward = new int[]?[_nodes];
        var linkResources = bus ? edges.Count : edges.Count * 2;
        _homeBase = linkResources;
        _probeBase = linkResources + _nodes;
        _onChipBase = linkResources + 2 * _nodes;
        _calendar = new ResourceCalendar(linkResources + 2 * _nodes + _packages);
    }

    /// <summary>The chipset node of a bus machine (home of every line there), or -1.</summary>
    public int Hub { get; }

    public CoherenceSpec Spec => _spec;

    /// <summary>A transaction is issued at <paramref name="now"/>: bookings that ended before it are forgotten.</summary>
    public void Issue(long now) => _calendar.Advance(now);

    /// <summary>Links a message crosses from node <paramref name="from"/> to node <paramref name="to"/>.</summary>
    public int Hops(int from, int to)
    {
        var hops = 0;
        var toward = Toward(to);
        for (var n = from; n != to; n = _links[toward[n]].To) hops++;
        return hops;
    }

    /// <summary>
    /// Sends one message from node <paramref name="from"/> at cycle <paramref name="at"/>; returns when it has fully
    /// arrived at <paramref name="to"/>. <paramref name="occupancy"/> is its length on a link (control or data).
    /// </summary>
    public long Send(int from, int to, long at, int occupancy)
    {
        if (from == to) return at;
        var toward = Toward(to);
        var t = at;
        for (var n = from; n != to;)
        {
            var link = toward[n];
            t = _calendar.Reserve(_linkResource[link], t, occupancy) + _spec.LinkLatency;
            n = _links[link].To;
        }
        return t + occupancy;
    }

    /// <summary>A request ordered by node <paramref name="node"/> as the line's home, arriving at <paramref name="at"/>; returns when its probes leave.</summary>
    public long Home(int node, long at) => _calendar.Reserve(_homeBase + node, at, _spec.HomeOccupancy) + _spec.EngineLatency;

    /// <summary>A transfer on node <paramref name="node"/>'s own chip that its home agent orders, arriving at <paramref name="at"/>; returns when it starts.</summary>
    public long HomeTurn(int node, long at) => _calendar.Reserve(_homeBase + node, at, _spec.HomeOccupancy);

    /// <summary>A probe looked up by node <paramref name="node"/>, arriving at <paramref name="at"/>; returns when its answer leaves.</summary>
    public long Probe(int node, long at) => _calendar.Reserve(_probeBase + node, at, _spec.ProbeOccupancy) + _spec.EngineLatency;

    /// <summary>A transfer in the shared cache of package <paramref name="package"/> on a bus machine, from cycle <paramref name="at"/>; returns the cycle it starts.</summary>
    public long OnChip(int package, long at) => _calendar.Reserve(_onChipBase + package, at, _spec.OnChipOccupancy);

    /// <summary>For every node, the first directed link on a shortest route to <paramref name="to"/> (computed once, on first use).</summary>
    private int[] Toward(int to)
    {
        if (_toward[to] is { } cached) return cached;
        var toward = new int[_nodes];
        Array.Fill(toward, -1);
        var queue = new Queue<int>();
        queue.Enqueue(to);
        var seen = new bool[_nodes];
        seen[to] = true;
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            // Every link u->v into v: u reaches `to` through v.
            foreach (var back in _outgoing[v])
            {
                var u = _links[back].To;
                if (seen[u]) continue;
                seen[u] = true;
                toward[u] = back ^ 1; // the reverse direction, u -> v
                queue.Enqueue(u);
            }
        }
        _toward[to] = toward;
        return toward;
    }
}
