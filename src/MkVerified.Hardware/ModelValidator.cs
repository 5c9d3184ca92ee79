namespace MkVerified.Hardware;

/// <summary>Consistency rules a parsed model must satisfy (each failure names the offending element).</summary>
public static class ModelValidator
{
    /// <summary>
    /// The largest machine the emulator runs: the coherence directory keeps a bit per core for every line (and a write
    /// scans them), and experiments allocate lines per core, so memory and time grow with the square of the core count.
    /// Larger models are refused here, with the limit in the message.
    /// </summary>
    public const int MaxCores = 4096;

    /// <summary>At most this many links (package hops are found by a search from every package over the links).</summary>
    public const int MaxLinks = 65536;

    public static void Validate(MachineModel m, string source)
    {
        if (m.Packages.Count == 0) throw new ModelException(source, "'packages' is empty: a machine needs at least one package");
        var listed = m.Packages.Sum(p => p.Dies.Sum(d => (long)d.Cores.Count));
        if (listed > MaxCores)
            throw new ModelException(source, $"lists {listed} cores; the emulator runs machines of at most {MaxCores} cores (its coherence directory keeps a bit per core for every line)");
        if (m.Links.Count > MaxLinks)
            throw new ModelException(source, $"lists {m.Links.Count} links; at most {MaxLinks} are allowed");
        var packageIds = new HashSet<int>();
        var coreOwner = new Dictionary<int, int>();
        foreach (var p in m.Packages)
        {
            if (!packageIds.Add(p.Id)) throw new ModelException(source, $"package id {p.Id} appears twice");
            if (p.Dies.Count == 0) throw new ModelException(source, $"package {p.Id} has no dies");
            var dieIds = new HashSet<int>();
            foreach (var d in p.Dies)
            {
                if (!dieIds.Add(d.Id)) throw new ModelException(source, $"package {p.Id} has die id {d.Id} twice");
                if (d.Cores.Count == 0) throw new ModelException(source, $"package {p.Id} die {d.Id} has no cores");
                foreach (var c in d.Cores)
                {
                    if (coreOwner.TryGetValue(c, out var other))
                        throw new ModelException(source, other == p.Id
                            ? $"core {c} is listed twice in package {p.Id}"
                            : $"core {c} is in two packages ({other} and {p.Id})");
                    coreOwner[c] = p.Id;
                }
            }
        }
        var n = coreOwner.Count;
        for (var c = 0; c < n; c++)
            if (!coreOwner.ContainsKey(c)) throw new ModelException(source, $"cores must be numbered 0..{n - 1} without gaps, but core {c} is missing");
        for (var i = 0; i < m.Packages.Count; i++)
            if (!packageIds.Contains(i)) throw new ModelException(source, $"packages must be numbered 0..{m.Packages.Count - 1}, but package {i} is missing");

        var levels = new HashSet<int>();
        foreach (var c in m.Caches)
            if (!levels.Add(c.Level)) throw new ModelException(source, $"cache level {c.Level} is described twice");

        var seen = new HashSet<(int, int)>();
        foreach (var (a, b) in m.Links)
        {
            if (!packageIds.Contains(a)) throw new ModelException(source, $"link [{a}, {b}] names package {a}, which does not exist");
            if (!packageIds.Contains(b)) throw new ModelException(source, $"link [{a}, {b}] names package {b}, which does not exist");
            if (a == b) throw new ModelException(source, $"link [{a}, {b}] connects a package to itself");
            if (!seen.Add((Math.Min(a, b), Math.Max(a, b)))) throw new ModelException(source, $"link [{a}, {b}] is listed twice");
        }
        if (m.Interconnect == InterconnectKind.Bus && m.Links.Count > 0)
            throw new ModelException(source, "a bus interconnect joins every package; 'links' must be empty");
        if (m.Interconnect == InterconnectKind.PointToPoint && m.Packages.Count > 1)
        {
            var hops = Topology.PackageHops(m.Packages.Count, m.Links, m.Interconnect);
            for (var p = 1; p < m.Packages.Count; p++)
                if (hops[0, p] < 0) throw new ModelException(source, $"package {p} cannot be reached from package 0 over 'links'");
        }

        var c0 = m.Costs;
        if (c0.CacheHit == 0) throw new ModelException(source, "field 'costs.cacheHit' is 0: a hit takes at least one cycle");
        var transfers = new[] { ("sharedCacheTransfer", c0.SharedCacheTransfer), ("sameDieTransfer", c0.SameDieTransfer), ("crossDieTransfer", c0.CrossDieTransfer), ("memory", c0.Memory) };
        foreach (var (name, v) in transfers)
            if (v < c0.CacheHit) throw new ModelException(source, $"field 'costs.{name}' is {v}, less than 'costs.cacheHit' ({c0.CacheHit}): a transfer cannot be cheaper than a hit");
    }
}
