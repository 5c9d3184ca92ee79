using System.Globalization;

namespace MkVerified.Hardware;

/// <summary>
/// The host as a machine model, read from Linux sysfs: online CPUs, their packages and dies, which CPUs share each
/// cache level, NUMA distances between packages, and the clock from /proc/cpuinfo. The costs are a base model's, to be
/// calibrated on this host (<c>mk calibrate</c>). Model core i is the i-th online CPU, so the threads backend runs core
/// i on that CPU. SMT siblings become cores of one die (the model has no hardware threads); the notes say so.
/// </summary>
public static class HostTopology
{
    public sealed record Reading(MachineModel Model, IReadOnlyList<string> Notes);

    /// <summary>Reads the host under <paramref name="root"/> ("/" for the real one; a copied tree for tests).</summary>
    public static Reading Read(MachineModel costsFrom, string root = "/")
    {
        var cpuDir = Path.Combine(root, "sys", "devices", "system", "cpu");
        var onlineFile = Path.Combine(cpuDir, "online");
        if (!File.Exists(onlineFile)) throw new ModelException(onlineFile, "not found: the host model is read from Linux sysfs");
        var cpus = ParseList(File.ReadAllText(onlineFile));
        var notes = new List<string>();
        int Number(int cpu, string file, int fallback)
        {
            var path = Path.Combine(cpuDir, $"cpu{cpu}", "topology", file);
            return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : fallback;
        }
        var package = cpus.ToDictionary(c => c, c => Number(c, "physical_package_id", 0));
        var die = cpus.ToDictionary(c => c, c => Number(c, "die_id", 0));
        var coreIndex = cpus.Select((cpu, i) => (cpu, i)).ToDictionary(x => x.cpu, x => x.i);
        var packageIds = package.Values.Distinct().Order().ToList();
        var packages = packageIds.Select((pid, pi) => new PackageSpec(pi,
            cpus.Where(c => package[c] == pid).Select(c => die[c]).Distinct().Order()
                .Select((did, di) => new DieSpec(di, cpus.Where(c => package[c] == pid && die[c] == did).Select(c => coreIndex[c]).ToList())).ToList())).ToList();

        var smt = cpus.Any(c => ParseList(ReadOr(Path.Combine(cpuDir, $"cpu{c}", "topology", "thread_siblings_list"), c.ToString(CultureInfo.InvariantCulture))).Count > 1);
        if (smt) notes.Add("SMT siblings are modeled as separate cores of one die (they really share a core's L1 and L2)");
        var caches = Caches(cpuDir, cpus, package, die, notes);
        var (links, linkNote) = Links(root, cpus, package, packageIds);
        if (linkNote is not null) notes.Add(linkNote);
        var ghz = ClockGHz(root, notes, costsFrom.ClockGHz);
        var model = costsFrom with
        {
            Name = "host",
            Description = $"this host: {cpus.Count} CPUs in {packages.Count} package(s), read from Linux sysfs; costs from {costsFrom.Name}, to be calibrated (mk calibrate)",
            ClockGHz = ghz,
            Interconnect = InterconnectKind.PointToPoint,
            Packages = packages,
            Caches = caches,
            Links = links,
            Origin = null,
        };
        ModelValidator.Validate(model, "host");
        return new Reading(model, notes);
    }

    private static List<CacheLevel> Caches(string cpuDir, IReadOnlyList<int> cpus, Dictionary<int, int> package, Dictionary<int, int> die, List<string> notes)
    {
        var first = cpus[0];
        var cacheDir = Path.Combine(cpuDir, $"cpu{first}", "cache");
        var levels = new List<CacheLevel>();
        if (!Directory.Exists(cacheDir))
        {
            notes.Add("sysfs has no cache information (usual in a virtual machine): no shared cache is modeled");
            return levels;
        }
        foreach (var index in Directory.GetDirectories(cacheDir, "index*").Order(StringComparer.Ordinal))
        {
            if (ReadOr(Path.Combine(index, "type"), "") is not ("Data" or "Unified")) continue;
            if (!int.TryParse(ReadOr(Path.Combine(index, "level"), ""), CultureInfo.InvariantCulture, out var level)) continue;
            var size = ReadOr(Path.Combine(index, "size"), "0K").TrimEnd('K', 'k');
            var sizeKiB = int.TryParse(size, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var sharers = ParseList(ReadOr(Path.Combine(index, "shared_cpu_list"), first.ToString(CultureInfo.InvariantCulture))).Where(cpus.Contains).ToList();
            var sameDie = cpus.Where(c => package[c] == package[first] && die[c] == die[first]).ToList();
            var threads = ParseList(ReadOr(Path.Combine(cpuDir, $"cpu{first}", "topology", "thread_siblings_list"), first.ToString(CultureInfo.InvariantCulture)));
            var siblings = sharers.Count;
            // Private to a (possibly hyper-threaded) core, shared within the die, or across the package.
            var wholePackage = cpus.Count(c => package[c] == package[first]) <= siblings;
            var scope = sharers.All(threads.Contains) ? CacheSharing.Core : !wholePackage && sharers.All(sameDie.Contains) ? CacheSharing.Die : CacheSharing.Package;
            if (scope == CacheSharing.Die && siblings < sameDie.Count)
                notes.Add($"L{level} is shared by {siblings} of the {sameDie.Count} CPUs of a die; modeled as shared by the die");
            if (levels.All(l => l.Level != level)) levels.Add(new CacheLevel(level, Math.Max(1, sizeKiB), scope));
        }
        return levels;
    }

    /// <summary>Links between packages from NUMA distances: packages at the smallest remote distance are one hop apart.</summary>
    private static (List<(int, int)> Links, string? Note) Links(string root, IReadOnlyList<int> cpus, Dictionary<int, int> package, List<int> packageIds)
    {
        var links = new List<(int, int)>();
        if (packageIds.Count == 1) return (links, null);
        var nodeDir = Path.Combine(root, "sys", "devices", "system", "node");
        var nodeOfCpu = new Dictionary<int, int>();
        var distances = new Dictionary<int, int[]>();
        if (Directory.Exists(nodeDir))
            foreach (var dir in Directory.GetDirectories(nodeDir, "node*"))
            {
                if (!int.TryParse(Path.GetFileName(dir)[4..], CultureInfo.InvariantCulture, out var node)) continue;
                foreach (var c in ParseList(ReadOr(Path.Combine(dir, "cpulist"), ""))) nodeOfCpu[c] = node;
                distances[node] = ReadOr(Path.Combine(dir, "distance"), "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            }
        int? Distance(int pa, int pb)
        {
            var a = cpus.First(c => package[c] == packageIds[pa]);
            var b = cpus.First(c => package[c] == packageIds[pb]);
            if (!nodeOfCpu.TryGetValue(a, out var na) || !nodeOfCpu.TryGetValue(b, out var nb) || !distances.TryGetValue(na, out var row) || nb >= row.Length) return null;
            return row[nb];
        }
        var pairs = new List<(int A, int B, int? D)>();
        for (var a = 0; a < packageIds.Count; a++)
            for (var b = a + 1; b < packageIds.Count; b++) pairs.Add((a, b, Distance(a, b)));
        if (pairs.Any(p => p.D is null))
        {
            links.AddRange(pairs.Select(p => (p.A, p.B)));
            return (links, "no NUMA distances in sysfs: every package is modeled one hop from every other");
        }
        var nearest = pairs.Min(p => p.D!.Value);
        links.AddRange(pairs.Where(p => p.D == nearest).Select(p => (p.A, p.B)));
        var hops = Topology.PackageHops(packageIds.Count, links, InterconnectKind.PointToPoint);
        for (var p = 0; p < packageIds.Count; p++)
            if (hops[0, p] < 0) return ([.. pairs.Select(q => (q.A, q.B))], "NUMA distances do not form a connected graph at the nearest distance: every package is modeled one hop from every other");
        return (links, $"packages at NUMA distance {nearest} are linked; farther ones are reached over those links");
    }

    private static double ClockGHz(string root, List<string> notes, double fallback)
    {
        var cpuinfo = Path.Combine(root, "proc", "cpuinfo");
        if (File.Exists(cpuinfo))
            foreach (var line in File.ReadLines(cpuinfo))
                if (line.StartsWith("cpu MHz", StringComparison.Ordinal) && double.TryParse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture, out var mhz) && mhz > 0)
                    return Math.Round(mhz / 1000, 2);
        notes.Add($"no 'cpu MHz' in /proc/cpuinfo: nominal clock {fallback} GHz taken from the base model");
        return fallback;
    }

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path).Trim() : fallback;

    /// <summary>Parses a Linux CPU list such as "0-3,8,10-11".</summary>
    public static IReadOnlyList<int> ParseList(string text)
    {
        var result = new List<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0) result.Add(int.Parse(part, CultureInfo.InvariantCulture));
            else
                for (int a = int.Parse(part[..dash], CultureInfo.InvariantCulture), b = int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture), c = a; c <= b; c++) result.Add(c);
        }
        return result;
    }
}
