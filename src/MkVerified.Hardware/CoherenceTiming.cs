namespace MkVerified.Hardware;

/// <summary>
/// How long one coherence miss takes, given who holds the line (from the directory) and the interconnect's load.
/// A miss served on the requester's chip (data and every other copy there, and on a point-to-point machine the line
/// homed there) costs the chip's transfer latency and a turn of the package's home agent, or of the die's shared cache
/// on a bus machine; it sends no probes (a modeling choice, spec/machine-model.md). Any other miss is a transaction through
/// the line's home: the request travels to the home, which orders requests to the line one at a time and probes the
/// packages (all of them with broadcast probes; the holders only with a filter); every probed package answers the
/// requester, the one holding the data with the line; memory answers from the home. The requester completes when every
/// answer is in, then tells the home it is done, which lets the next request to the line proceed.
/// </summary>
internal sealed class CoherenceTiming
{
    private readonly Topology _topology;
    private readonly InterconnectFabric _fabric;
    private readonly CoherenceSpec _spec;
    private readonly CostSpec _costs;
    private readonly bool _bus;
    private readonly bool[] _probed;

    public CoherenceTiming(Topology topology)
    {
        _topology = topology;
        _fabric = new InterconnectFabric(topology.Model);
        _spec = topology.Model.Coherence;
        _costs = topology.Model.Costs;
        _bus = topology.Model.Interconnect == InterconnectKind.Bus;
        _probed = new bool[topology.PackageCount];
    }

    public InterconnectFabric Fabric => _fabric;

    /// <summary>
    /// Times a miss of <paramref name="requester"/> issued at <paramref name="start"/> on a line homed in
    /// <paramref name="homePackage"/>. <paramref name="source"/>: the core whose cache supplies the data, -1 for memory,
    /// -2 when the requester already has it (an upgrade). <paramref name="holders"/>: other copies to invalidate or ask.
    /// <paramref name="lineFree"/>: when the home accepts the next request to this line (updated). Returns the completion.
    /// <paramref name="issuedAt"/>: the requesting core's clock, which no later miss can precede (the cycle scheduler runs
    /// the core with the lowest clock); <paramref name="start"/> may lie later (a store waiting for a free miss buffer).
    /// </summary>
    public long Miss(int requester, int homePackage, int source, ReadOnlySpan<int> holders, long issuedAt, long start, ref long lineFree)
    {
        _fabric.Issue(issuedAt);
        var r = _topology.PackageOf(requester);
        if (OnChip(requester, homePackage, source, holders)) return OnChipMiss(requester, r, source, holders, start, ref lineFree);
        var home = _bus ? _fabric.Hub : homePackage;
        var atHome = Math.Max(_fabric.Send(r, home, start, _spec.ControlOccupancy), lineFree);
        var ordered = _fabric.Home(home, atHome); // the home orders the request and looks in its own caches
        var sourcePackage = source >= 0 ? _topology.PackageOf(source) : -1;
        var done = Answer(home, r, ordered, home == sourcePackage || source == -1 ? _spec.DataOccupancy : _spec.ControlOccupancy, source == -1 ? _costs.Memory : 0);
        if (_spec.Probes == ProbeKind.Broadcast)
        {
            for (var q = 0; q < _probed.Length; q++)
                if (q != home) done = Math.Max(done, Probe(home, q, r, q == sourcePackage, ordered));
        }
        else
        {
            foreach (var h in holders) _probed[_topology.PackageOf(h)] = true;
            if (sourcePackage >= 0) _probed[sourcePackage] = true;
            for (var q = 0; q < _probed.Length; q++)
            {
                if (!_probed[q]) continue;
                _probed[q] = false;
                if (q != home) done = Math.Max(done, Probe(home, q, r, q == sourcePackage, ordered));
            }
        }
        var end = done + _costs.CacheHit;
        lineFree = _fabric.Send(r, home, end, _spec.ControlOccupancy);
        return end;
    }

    private long Probe(int home, int package, int requesterPackage, bool carriesData, long at)
    {
        var looked = _fabric.Probe(package, _fabric.Send(home, package, at, _spec.ControlOccupancy));
        return Answer(package, requesterPackage, looked, carriesData ? _spec.DataOccupancy : _spec.ControlOccupancy, 0);
    }

    /// <summary>
    /// An answer from node <paramref name="from"/> to the requester's package, leaving after <paramref name="delay"/>
    /// (memory). On a bus it crosses the answering package's bus, and the requester's too when that is another.
    /// </summary>
    private long Answer(int from, int to, long at, int occupancy, int delay)
    {
        at += delay;
        if (!_bus) return _fabric.Send(from, to, at, occupancy);
        var hub = _fabric.Hub;
        if (from == hub) return _fabric.Send(hub, to, at, occupancy);
        var onBus = _fabric.Send(from, hub, at, occupancy);
        return from == to ? onBus : _fabric.Send(hub, to, onBus, occupancy);
    }

    private bool OnChip(int requester, int homePackage, int source, ReadOnlySpan<int> holders)
    {
        // On a bus memory sits behind the chipset; on point-to-point links the line must be homed on this package.
        if (_bus ? source == -1 : homePackage != _topology.PackageOf(requester)) return false;
        if (source >= 0 && !_topology.SameChip(source, requester)) return false;
        foreach (var h in holders)
            if (!_topology.SameChip(h, requester)) return false;
        return true;
    }

    /// <summary>
    /// A miss served on the requester's chip: the chip's transfer latency, after the line's previous transaction and a
    /// turn of whatever orders it: on a point-to-point machine the package's home agent (the line is homed here), on a
    /// bus machine the die's shared cache. It asks no other package (every copy is here).
    /// </summary>
    private long OnChipMiss(int requester, int package, int source, ReadOnlySpan<int> holders, long start, ref long lineFree)
    {
        var latency = source switch
        {
            -1 => _costs.Memory,
            >= 0 => _topology.OnChipCost(source, requester),
            _ => _costs.CacheHit,
        };
        foreach (var h in holders) latency = Math.Max(latency, _topology.OnChipCost(h, requester));
        var turn = Math.Max(start, lineFree);
        var end = (_bus ? _fabric.OnChip(package, turn) : _fabric.HomeTurn(package, turn)) + latency;
        lineFree = end;
        return end;
    }
}
