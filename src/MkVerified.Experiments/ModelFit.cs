using MkVerified.Hardware;

namespace MkVerified.Experiments;

/// <summary>
/// Fits a paper machine's free parameters to Table 2 (URPC latency and throughput of every path the paper measured):
/// coordinate descent in steps of 32, 16, ..., 1 cycles, then <c>restarts</c> seeded random restarts around the best
/// point, each descended again, keeping the best. The score is the largest error in percent (times 1000) plus the sum of
/// squared errors, so the worst row is brought in first. Deterministic for a given model, parameter list and seed.
/// </summary>
public static class ModelFit
{
    /// <summary>Parameters a fit may move, by their names in the model file.</summary>
    public static IReadOnlyList<string> Parameters { get; } = [.. ModelParameters.All.Where(p => p.Fittable).Select(p => p.Name)];

    public sealed record Row(string Path, double Latency, double LatencyError, double Throughput, double ThroughputError);

    public sealed record Fit(MachineModel Model, IReadOnlyList<Row> Rows, double WorstErrorPercent);

    /// <summary>The step ladder of a paper machine's descent (its parameters start near their fitted values).</summary>
    public static IReadOnlyList<int> PaperSteps { get; } = [32, 16, 8, 4, 2, 1];

    /// <summary>
    /// Fits to <paramref name="targets"/> (default: the machine's rows of Table 2; a host's own measurements for
    /// <c>mk calibrate</c> on the threads backend), descending in <paramref name="steps"/> (default <see cref="PaperSteps"/>).
    /// </summary>
    public static Fit Run(MachineModel model, IReadOnlyList<string> free, int restarts, int seed, Action<string>? progress = null,
        IReadOnlyList<CalibrationTargets.Target>? targets = null, IReadOnlyList<int>? steps = null)
    {
        targets ??= [.. CalibrationTargets.Table2.Where(t => t.Machine == model.Name)];
        steps ??= PaperSteps;
        if (targets.Count == 0)
            throw new ArgumentException($"Table 2 has no figures for a machine named '{model.Name}'");
        foreach (var f in free)
            if (!Parameters.Contains(f)) throw new ArgumentException($"'{f}' is not a fittable parameter; fittable: {string.Join(", ", Parameters)}");
        var values = free.ToDictionary(f => f, f => ValueOf(model, f));
        var best = Score(With(model, values), targets);
        void Descend()
        {
            foreach (var step in steps)
            {
                var improved = true;
                while (improved)
                {
                    improved = false;
                    foreach (var f in free)
                    {
                        foreach (var delta in new[] { step, -step })
                        {
                            var old = values[f];
                            if (old + delta < 0) continue;
                            values[f] = old + delta;
                            var score = Score(With(model, values), targets);
                            if (score < best) { best = score; improved = true; }
                            else values[f] = old;
                        }
                    }
                }
            }
        }
        Descend();
        var random = new Random(seed);
        for (var r = 0; r < restarts; r++)
        {
            progress?.Invoke($"calibrate {model.Name}: restart {r + 1} of {restarts}, worst error {best / 1000:F1}%");
            var kept = new Dictionary<string, int>(values);
            var keptScore = best;
            foreach (var f in free) values[f] = (int)(values[f] * (0.6 + 0.8 * random.NextDouble()));
            best = Score(With(model, values), targets);
            Descend();
            if (best >= keptScore)
            {
                foreach (var (k, v) in kept) values[k] = v;
                best = keptScore;
            }
        }
        var fitted = With(model, values);
        var rows = Measure(fitted, full: true, targets);
        return new Fit(fitted, rows, rows.Max(r => Math.Max(Math.Abs(r.LatencyError), Math.Abs(r.ThroughputError))));
    }

    /// <summary>Every Table 2 row of the machine as the emulator gives it (full-length benchmarks, as <c>mk experiment urpc</c>).</summary>
    public static IReadOnlyList<Row> Measure(MachineModel model, bool full, IReadOnlyList<CalibrationTargets.Target>? targets = null)
    {
        targets ??= [.. CalibrationTargets.Table2.Where(t => t.Machine == model.Name)];
        var topology = new Topology(model);
        var rows = new List<Row>();
        foreach (var (path, core) in topology.RepresentativePaths(0))
        {
            if (targets.FirstOrDefault(t => t.Path == path.Name) is not { } target) continue;
            var latency = full ? UrpcBenchmarks.OneWayLatency(topology, 0, core) : UrpcBenchmarks.OneWayLatency(topology, 0, core, rounds: 100, warmup: 40);
            var throughput = full ? UrpcBenchmarks.Throughput(topology, 0, core) : UrpcBenchmarks.Throughput(topology, 0, core, messages: 1000, warmup: 100);
            rows.Add(new Row(path.Name, latency, 100 * (latency - target.LatencyCycles) / target.LatencyCycles,
                throughput, 100 * (throughput - target.ThroughputMsgsPerKcycle) / target.ThroughputMsgsPerKcycle));
        }
        return rows;
    }

    private static double Score(MachineModel model, IReadOnlyList<CalibrationTargets.Target> targets)
    {
        var rows = Measure(model, full: false, targets);
        var worst = rows.Max(r => Math.Max(Math.Abs(r.LatencyError), Math.Abs(r.ThroughputError)));
        return worst * 1000 + rows.Sum(r => r.LatencyError * r.LatencyError + r.ThroughputError * r.ThroughputError);
    }

    /// <summary>The value of fittable parameter <paramref name="name"/> in a model.</summary>
    public static int ValueOf(MachineModel m, string name) =>
        Fittable(name).Get(m);

    private static MachineModel With(MachineModel m, IReadOnlyDictionary<string, int> values)
    {
        foreach (var (name, v) in values) m = Fittable(name).Set(m, v);
        return m;
    }

    private static ModelParameter Fittable(string name) =>
        ModelParameters.Find(name) is { Fittable: true } p ? p : throw new ArgumentOutOfRangeException(nameof(name), name, "not a fittable parameter");
}
