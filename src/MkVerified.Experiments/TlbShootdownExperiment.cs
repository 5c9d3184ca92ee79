using MkVerified.Hardware;
using MkVerified.Protocols.Shootdown;

namespace MkVerified.Experiments;

/// <summary>The paper's Figure 6: latency of a TLB shootdown for 2..32 cores with each of the four message protocols.</summary>
public sealed class TlbShootdownExperiment : IExperiment
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
}
