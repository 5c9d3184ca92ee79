using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Runtime.Host;

namespace MkVerified.Experiments.Host;

/// <summary>How an experiment runs on the threads backend: repeats per figure (the median is reported) and the threads' options.</summary>
public sealed record HostRunSettings
{
    public int Repeats { get; init; } = 7;
    public HostThreadsOptions Threads { get; init; } = new();

    /// <summary>Scales the work of each repeat (tests use a small fraction; 1 for real measurements).</summary>
    public double Work { get; init; } = 1.0;

    public int Scaled(int count) => Math.Max(1, (int)(count * Work));

    /// <summary>The host CPU that core <paramref name="core"/> of a model runs on (the allowed CPUs in order, wrapping).</summary>
    public int CpuOf(int core)
    {
        var cpus = Threads.Cpus ?? CpuAffinity.Allowed();
        return cpus[core % cpus.Count];
    }

    public Emulation NewRun(Topology topology) => Emulation.OnHostThreads(topology, Threads);
}

/// <summary>The median of repeated timings and their spread (max - min), so noise is reported, not hidden.</summary>
public readonly record struct Sample(double Median, double Min, double Max)
{
    public double Spread => Max - Min;

    public double SpreadPercent => Median == 0 ? 0 : 100.0 * Spread / Median;

    /// <summary>Runs <paramref name="measure"/> once to warm up (JIT, caches, CPU frequency), then <paramref name="repeats"/> times.</summary>
    public static Sample Of(int repeats, Func<double> measure)
    {
        measure();
        return Over(Enumerable.Range(0, repeats).Select(_ => measure()).ToArray());
    }

    /// <summary>As <see cref="Of"/> for a measurement giving two figures at once (a latency and a throughput of the same runs).</summary>
    public static (Sample First, Sample Second) OfPairs(int repeats, Func<(double First, double Second)> measure)
    {
        measure();
        var pairs = Enumerable.Range(0, repeats).Select(_ => measure()).ToArray();
        return (Over(pairs.Select(p => p.First).ToArray()), Over(pairs.Select(p => p.Second).ToArray()));
    }

    /// <summary>As <see cref="Of"/> for a measurement giving several figures at once (one per operation of the same runs): one sample per figure.</summary>
    public static Sample[] OfEach(int repeats, Func<double[]> measure)
    {
        measure();
        var runs = Enumerable.Range(0, repeats).Select(_ => measure()).ToArray();
        return Enumerable.Range(0, runs[0].Length).Select(i => Over(runs.Select(r => r[i]).ToArray())).ToArray();
    }

    private static Sample Over(double[] measured)
    {
        var values = measured.Order().ToArray();
        var mid = values.Length / 2;
        var median = values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        return new Sample(median, values[0], values[^1]);
    }
}

/// <summary>An experiment that also runs on the host's cores (the threads backend): the same protocol code, timed in real time.</summary>
public interface IHostExperiment : IExperiment
{
    ExperimentResult RunOnHost(MachineModel model, HostRunSettings settings, Action<string>? progress = null);
}
