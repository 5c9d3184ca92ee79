using MkVerified.Hardware;

namespace MkVerified.Experiments;

/// <summary>
/// Table 2 of the paper: URPC one-way latency and pipelined throughput between core 0 and one representative core
/// of each path class of the machine (shared cache, same die, one hop, two hops, ...).
/// </summary>
public sealed class UrpcExperiment : IExperiment
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
}
