namespace MkVerified.Hardware;

/// <summary>
/// Generates large machines for scale experiments: packages of cores sharing an L3, joined as a 2-D mesh
/// with a base model's costs and interconnect timing. Probes are filtered (a directory): no machine of that size
/// broadcasts every miss to every package.
/// </summary>
public static class SyntheticMachine
{
    public static MachineModel Mesh(string name, int columns, int rows, int coresPerPackage, CostSpec costs, CoherenceSpec coherence, double clockGHz = 2.0)
    {
        var packages = new List<PackageSpec>();
        var core = 0;
        for (var p = 0; p < columns * rows; p++)
        {
            var cores = Enumerable.Range(core, coresPerPackage).ToList();
            core += coresPerPackage;
            packages.Add(new PackageSpec(p, [new DieSpec(0, cores)]));
        }
        var links = new List<(int, int)>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var p = r * columns + c;
                if (c + 1 < columns) links.Add((p, p + 1));
                if (r + 1 < rows) links.Add((p, p + columns));
            }
        }
        return new MachineModel
        {
            Name = name,
            Description = $"synthetic: {columns * rows} packages of {coresPerPackage} cores sharing an L3, {columns}x{rows} mesh interconnect",
            ClockGHz = clockGHz,
            Interconnect = InterconnectKind.PointToPoint,
            Packages = packages,
            Caches = [new CacheLevel(1, 64, CacheSharing.Core), new CacheLevel(2, 512, CacheSharing.Core), new CacheLevel(3, 8192, CacheSharing.Package)],
            Links = links,
            Costs = costs,
            Coherence = coherence with { Probes = ProbeKind.Filtered },
        };
    }
}
