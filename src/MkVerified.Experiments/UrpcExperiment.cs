using MkVerified.Experiments.Host;
using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Experiments;

/// <summary>
/// Table 2 of the paper: URPC one-way latency and pipelined throughput between core 0 and one representative core
/// of each path class of the machine (shared cache, same die, one hop, two hops, ...).
/// </summary>
public sealed class UrpcExperiment : IHostExperiment
{
    public string Name => "urpc";
    public string Description => "URPC one-way latency and pipelined throughput per path class (the paper's Table 2)";

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        var notes = new List<string>();
        foreach (var (path, core) in topology.RepresentativePaths(0))
        {
            progress?.Invoke($"urpc: 0 -> {core} ({path.Name})");
            var latency = UrpcBenchmarks.OneWayLatency(topology, 0, core);
            var throughput = UrpcBenchmarks.Throughput(topology, 0, core);
            var row = new ResultRow()
                .Add("path", path.Name)
                .Add("from", 0L)
                .Add("to", (long)core)
                .Add("latencyCycles", Math.Round(latency, 1))
                .Add("throughputMsgsPerKcycle", Math.Round(throughput, 2));
            if (CalibrationTargets.Find(model.Name, path.Name) is { } target)
            {
                row.Add("paperLatencyCycles", (long)target.LatencyCycles)
                   .Add("latencyErrorPercent", Math.Round(100.0 * (latency - target.LatencyCycles) / target.LatencyCycles, 1))
                   .Add("paperThroughputMsgsPerKcycle", target.ThroughputMsgsPerKcycle)
                   .Add("throughputErrorPercent", Math.Round(100.0 * (throughput - target.ThroughputMsgsPerKcycle) / target.ThroughputMsgsPerKcycle, 1));
            }
            rows.Add(row);
        }
        notes.Add("Latency is half the mean round trip of a 200-round ping-pong after 64 warm-up rounds; throughput streams 2000 messages after 200 warm-up messages.");
        var paper = rows.Any(r => r.Has("paperLatencyCycles"));
        var plots = new List<PlotSpec>
        {
            new("URPC one-way latency by path" + (paper ? " (emulated vs paper)" : ""), "path",
                paper ? ["latencyCycles", "paperLatencyCycles"] : ["latencyCycles"], "path from core 0", "cycles", Bars: true),
            new("URPC pipelined throughput by path" + (paper ? " (emulated vs paper)" : ""), "path",
                paper ? ["throughputMsgsPerKcycle", "paperThroughputMsgsPerKcycle"] : ["throughputMsgsPerKcycle"], "path from core 0", "messages per 1000 cycles", Bars: true)
            { FileSuffix = "-throughput" },
        };
        // On a machine of Table 2 both columns were fitted (spec/calibration.md); elsewhere the model predicts them.
        string[] measured = ["latencyCycles", "throughputMsgsPerKcycle"];
        return new ExperimentResult(Name, model.Name, rows, plots, notes) { Fitted = paper ? measured : [], Predicted = paper ? [] : measured };
    }

    /// <summary>
    /// The same benchmarks on the host's cores: each path class's pair of model cores runs as two pinned threads on the
    /// host CPUs they map to; the figures are medians of repeated runs, in nanoseconds and in cycles of the model's clock.
    /// </summary>
    public ExperimentResult RunOnHost(MachineModel model, HostRunSettings settings, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        var notes = new List<string>();
        var placement = "";
        foreach (var (path, core) in topology.RepresentativePaths(0))
        {
            if (settings.CpuOf(0) == settings.CpuOf(core))
            {
                notes.Add($"{path.Name}: cores 0 and {core} map to the same host CPU {settings.CpuOf(0)}; not measured");
                continue;
            }
            progress?.Invoke($"urpc on host threads: 0 -> {core} ({path.Name}, CPUs {settings.CpuOf(0)} -> {settings.CpuOf(core)})");
            var m = MeasureOnHost(topology, 0, core, settings, out placement);
            var ghz = model.ClockGHz;
            rows.Add(new ResultRow()
                .Add("path", path.Name)
                .Add("from", 0L)
                .Add("to", (long)core)
                .Add("hostCpuFrom", (long)settings.CpuOf(0))
                .Add("hostCpuTo", (long)settings.CpuOf(core))
                .Add("latencyNs", Math.Round(m.Latency.Median / ghz, 1))
                .Add("latencyCycles", Math.Round(m.Latency.Median, 1))
                .Add("latencySpreadPercent", Math.Round(m.Latency.SpreadPercent, 1))
                .Add("throughputMsgsPerUs", Math.Round(m.Throughput.Median * ghz, 4))
                .Add("throughputMsgsPerKcycle", Math.Round(m.Throughput.Median, 4))
                .Add("throughputSpreadPercent", Math.Round(m.Throughput.SpreadPercent, 1)));
        }
        notes.Add($"Measured on host threads: median of {settings.Repeats} runs after one warm-up run; spread = (max - min) / median. " +
                  $"Latency is half the mean round trip of {settings.Scaled(LatencyRounds)} ping-pong rounds after {settings.Scaled(LatencyWarmup)}; " +
                  $"throughput streams {settings.Scaled(ThroughputMessages)} messages after {settings.Scaled(ThroughputWarmup)}. Cycles are of the model's nominal {model.ClockGHz} GHz clock.");
        if (placement.Length > 0) notes.Add(placement);
        string[] measured = ["latencyCycles", "throughputMsgsPerKcycle"];
        var plots = new List<PlotSpec>
        {
            new("URPC one-way latency by path (host threads)", "path", ["latencyNs"], "path from core 0", "ns", Bars: true),
            new("URPC pipelined throughput by path (host threads)", "path", ["throughputMsgsPerUs"], "path from core 0", "messages per µs", Bars: true) { FileSuffix = "-throughput" },
        };
        return new ExperimentResult(Name, model.Name, rows, plots, notes) { Measured = measured };
    }

    private const int LatencyRounds = 20_000;
    private const int LatencyWarmup = 2_000;
    private const int ThroughputMessages = 100_000;
    private const int ThroughputWarmup = 10_000;

    /// <summary>Median latency (cycles) and throughput (messages per 1000 cycles) of one pair of cores on host threads.</summary>
    public static (Sample Latency, Sample Throughput) MeasureOnHost(Topology topology, int from, int to, HostRunSettings settings, out string placement)
    {
        var options = new UrpcOptions { GhostChecks = false }; // checker state costs real time on a host; timing runs without it
        Emulation? last = null;
        Emulation Machine(Topology t) => last = settings.NewRun(t);
        var latency = Sample.Of(settings.Repeats, () => UrpcBenchmarks.OneWayLatency(topology, from, to, settings.Scaled(LatencyRounds), settings.Scaled(LatencyWarmup), options, Machine));
        var throughput = Sample.Of(settings.Repeats, () => UrpcBenchmarks.Throughput(topology, from, to, settings.Scaled(ThroughputMessages), settings.Scaled(ThroughputWarmup), options, Machine));
        placement = last?.HostPlacement is { } p ? HostPlacementText(p) : "";
        return (latency, throughput);
    }

    public static string HostPlacementText(MkVerified.Runtime.Host.HostPlacement p) =>
        p.Pinned ? $"Threads pinned to host CPUs {string.Join(", ", p.Cpus)}{(p.Note.Length > 0 ? "; " + p.Note : "")}." : $"Threads NOT pinned ({p.Note}).";
}
