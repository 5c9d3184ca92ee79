using MkVerified.Experiments.Host;
using MkVerified.Hardware;
using MkVerified.Protocols.Shootdown;

namespace MkVerified.Experiments;

/// <summary>The paper's Figure 6: latency of a TLB shootdown for 2..32 cores with each of the four message protocols.</summary>
public sealed class TlbShootdownExperiment : IHostExperiment
{
    public string Name => "tlb-shootdown";
    public string Description => "TLB shootdown latency for 2..32 cores: unicast, broadcast, multicast, NUMA-aware multicast (the paper's Figure 6)";

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        foreach (var protocol in ShootdownProtocols.All)
        {
            foreach (var n in ShootdownBench.CoreCounts(topology))
            {
                progress?.Invoke($"tlb-shootdown: {ShootdownProtocols.Name(protocol)} on {n} cores");
                rows.Add(new ResultRow().Add("protocol", ShootdownProtocols.Name(protocol)).Add("cores", (long)n)
                    .Add("latencyCycles", Math.Round(ShootdownBench.Messages(topology, protocol, n, unmap: false), 1)));
            }
        }
        return new ExperimentResult(Name, model.Name, rows,
            [new PlotSpec("TLB shootdown latency", "cores", ["latencyCycles"], "cores", "cycles", SeriesOf: r => (string)r["protocol"])],
            [
                "Initiator core 0, targets cores 1..N-1; mean of 8 shootdowns after 34 warm-up ones (one full URPC ring, so no poll misses to a never-used slot).",
                "Each target's monitor invalidates through one system call into its CPU driver (model 'trap') plus the TLB invalidation (model 'tlbInvalidate'); messages cost what URPC costs on the model.",
            ]) { Predicted = ["latencyCycles"] };
    }

    /// <summary>
    /// The message protocols on the host's cores (no IPI baseline: it has no user-space form): for every core count the
    /// host has CPUs for, the median over repeated runs of the mean shootdown, in nanoseconds and nominal cycles. Local
    /// costs (trap, TLB invalidation) are the real instructions' time only: no system call happens on a host thread.
    /// </summary>
    public ExperimentResult RunOnHost(MachineModel model, HostRunSettings settings, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        var cpus = Enumerable.Range(0, topology.CoreCount).Select(settings.CpuOf).ToArray();
        var counts = ShootdownBench.CoreCounts(topology).Where(n => cpus.Take(n).Distinct().Count() == n).ToList();
        foreach (var protocol in ShootdownProtocols.All)
        {
            foreach (var n in counts)
            {
                progress?.Invoke($"tlb-shootdown on host threads: {ShootdownProtocols.Name(protocol)} on {n} cores");
                var sample = Sample.Of(settings.Repeats, () => ShootdownBench.Messages(topology, protocol, n, unmap: false, settings.NewRun));
                rows.Add(new ResultRow().Add("protocol", ShootdownProtocols.Name(protocol)).Add("cores", (long)n)
                    .Add("latencyNs", Math.Round(sample.Median / model.ClockGHz, 1))
                    .Add("latencyCycles", Math.Round(sample.Median, 1))
                    .Add("latencySpreadPercent", Math.Round(sample.SpreadPercent, 1)));
            }
        }
        return new ExperimentResult(Name, model.Name, rows,
            [new PlotSpec("TLB shootdown latency (host threads)", "cores", ["latencyNs"], "cores", "ns", SeriesOf: r => (string)r["protocol"])],
            [
                $"Measured on host threads (core i on the i-th host CPU; only core counts with a CPU per core): median of {settings.Repeats} runs after one warm-up run, each the mean of 8 shootdowns after 34 warm-up ones; spread = (max - min) / median.",
                "No IPI baseline (no user-space form). The modeled trap and TLB-invalidation costs are not paid on a host thread: only the real instructions' time.",
            ]) { Measured = ["latencyCycles"] };
    }
}
