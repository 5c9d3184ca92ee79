using MkVerified.Experiments.Host;
using MkVerified.Hardware;
using MkVerified.Kernel.Skb;

namespace MkVerified.Experiments;

/// <summary>
/// Two-phase commit (the paper's monitor agreement, Section 5): from core 0 over cores 0..N-1, on each SKB tree kind,
/// the latency of one agreement and the throughput of many pipelined ones. Nothing is added: all cycles come from the
/// URPC messages on the tree and the memory system.
/// </summary>
public sealed class TwoPhaseCommitExperiment : IHostExperiment
{
    /// <summary>Pipelined mode: this many agreements on distinct objects, at most <see cref="Window"/> in flight.</summary>
    public const int PipelinedAgreements = 48;
    public const int Window = 16;
    private static readonly int[] CoreSteps = [2, 4, 8, 12, 16, 20, 24, 28, 32];

    public string Name => "2pc";
    public string Description => "two-phase commit latency and pipelined throughput on 2..32 cores (then powers of two up to the machine), per SKB tree kind (unicast, multicast, NUMA-aware)";

    /// <summary>2..32 as in the paper's figures; on larger machines, then powers of two up to the machine's size.</summary>
    public static IReadOnlyList<int> CoreCounts(int machineCores)
    {
        var counts = CoreSteps.Where(n => n <= machineCores).ToList();
        for (var n = 64; n <= machineCores; n *= 2) counts.Add(n);
        return counts;
    }

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        foreach (var kind in new[] { TreeKind.Unicast, TreeKind.Multicast, TreeKind.Numa })
        {
            var tree = TreeKinds.Name(kind);
            progress?.Invoke($"2pc: {tree}");
            foreach (var n in CoreCounts(topology.CoreCount))
            {
                var latency = TwoPhaseCommitBenchmarks.SingleLatency(topology, n, kind);
                rows.Add(Row(tree, "single", n, (long)Math.Round(latency), Math.Round(1000.0 / latency, 3)));
                var (meanLatency, throughput) = TwoPhaseCommitBenchmarks.Pipelined(topology, n, kind, PipelinedAgreements, Window);
                rows.Add(Row(tree, "pipelined", n, (long)Math.Round(meanLatency), Math.Round(throughput, 3)));
            }
        }
        var notes = new List<string>
        {
            "Core 0 coordinates; participants are cores 0..N-1; the coordinator's own monitor takes part like the others.",
            "single: agreements one at a time; latencyCycles = start to the coordinator holding every ack, mean of 8 after 20 warm-up agreements (every URPC ring used once); throughput = 1000 / latency.",
            $"pipelined: {PipelinedAgreements} agreements on distinct objects, at most {Window} in flight; latencyCycles = mean per agreement; throughput = agreements per 1000 cycles from the first start to the last end.",
        };
        var plots = new List<PlotSpec>
        {
            new("Two-phase commit latency (one agreement)", "cores", ["latencyCycles"], "cores", "cycles",
                SeriesOf: r => (string)r["tree"], Include: r => (string)r["mode"] == "single"),
            new($"Two-phase commit throughput ({Window} pipelined)", "cores", ["throughputOpsPerKcycle"], "cores", "agreements per 1000 cycles",
                SeriesOf: r => (string)r["tree"], Include: r => (string)r["mode"] == "pipelined") { FileSuffix = "-throughput" },
        };
        return new ExperimentResult(Name, model.Name, rows, plots, notes) { Predicted = ["latencyCycles", "throughputOpsPerKcycle"] };
    }

    /// <summary>
    /// The same agreements on the host's cores, for every core count the host has a CPU per core for: the median over
    /// repeated runs of each figure, in nominal cycles and in real time. The ledger's ghost checks are off (they cost real time).
    /// </summary>
    public ExperimentResult RunOnHost(MachineModel model, HostRunSettings settings, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        var cpus = Enumerable.Range(0, topology.CoreCount).Select(settings.CpuOf).ToArray();
        var counts = CoreCounts(topology.CoreCount).Where(n => cpus.Take(n).Distinct().Count() == n).ToList();
        foreach (var kind in new[] { TreeKind.Unicast, TreeKind.Multicast, TreeKind.Numa })
        {
            var tree = TreeKinds.Name(kind);
            foreach (var n in counts)
            {
                progress?.Invoke($"2pc on host threads: {tree} on {n} cores");
                var single = Sample.Of(settings.Repeats, () => TwoPhaseCommitBenchmarks.SingleLatency(topology, n, kind, settings.NewRun));
                rows.Add(HostRow(model, tree, "single", n, single, 1000.0 / single.Median, throughputSpreadPercent: null));
                var (latency, throughput) = Sample.OfPairs(settings.Repeats, () => TwoPhaseCommitBenchmarks.Pipelined(topology, n, kind, PipelinedAgreements, Window, settings.NewRun));
                rows.Add(HostRow(model, tree, "pipelined", n, latency, throughput.Median, Math.Round(throughput.SpreadPercent, 1)));
            }
        }
        var notes = new List<string>
        {
            $"Measured on host threads (core i on the i-th host CPU; only core counts with a CPU per core): median of {settings.Repeats} runs after one warm-up run; spread = (max - min) / median.",
            "single: mean of 8 agreements one at a time after 20 warm-up ones; throughput = 1000 / median latency.",
            $"pipelined: {PipelinedAgreements} agreements on distinct objects, at most {Window} in flight; latency and throughput are medians taken separately over the same runs.",
            "The agreement ledger's ghost checks are off (they cost real time); mk stress agreement runs them on threads.",
        };
        var plots = new List<PlotSpec>
        {
            new("Two-phase commit latency, one agreement (host threads)", "cores", ["latencyNs"], "cores", "ns",
                SeriesOf: r => (string)r["tree"], Include: r => (string)r["mode"] == "single"),
            new($"Two-phase commit throughput, {Window} pipelined (host threads)", "cores", ["throughputOpsPerKcycle"], "cores", "agreements per 1000 cycles",
                SeriesOf: r => (string)r["tree"], Include: r => (string)r["mode"] == "pipelined") { FileSuffix = "-throughput" },
        };
        return new ExperimentResult(Name, model.Name, rows, plots, notes) { Measured = ["latencyCycles", "throughputOpsPerKcycle"] };
    }

    private static ResultRow HostRow(MachineModel model, string tree, string mode, int cores, Sample latency, double throughput, double? throughputSpreadPercent)
    {
        var row = new ResultRow().Add("tree", tree).Add("mode", mode).Add("cores", (long)cores)
            .Add("latencyNs", Math.Round(latency.Median / model.ClockGHz, 1))
            .Add("latencyCycles", Math.Round(latency.Median, 1))
            .Add("latencySpreadPercent", Math.Round(latency.SpreadPercent, 1))
            // Six decimals, not the emulator's three: host agreements can take milliseconds, far below 0.001 per kcycle.
            .Add("throughputOpsPerKcycle", Math.Round(throughput, 6));
        return throughputSpreadPercent is { } spread ? row.Add("throughputSpreadPercent", spread) : row;
    }

    private static ResultRow Row(string tree, string mode, int cores, long latency, double throughput) =>
        new ResultRow().Add("tree", tree).Add("mode", mode).Add("cores", (long)cores).Add("latencyCycles", latency).Add("throughputOpsPerKcycle", throughput);
}
