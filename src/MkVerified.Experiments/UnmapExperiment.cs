using MkVerified.Hardware;
using MkVerified.Protocols.Shootdown;

namespace MkVerified.Experiments;

/// <summary>The paper's Figure 7: end-to-end unmap latency, message-based (NUMA-aware multicast) vs IPI-based Linux and Windows.</summary>
public sealed class UnmapExperiment : IExperiment
{
    public string Name => "unmap";
    public string Description => "unmap latency for 2..32 cores: multikernel (NUMA-aware multicast) vs IPI-based linux and windows (the paper's Figure 7)";

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        foreach (var n in ShootdownBench.CoreCounts(topology))
        {
            progress?.Invoke($"unmap: multikernel on {n} cores");
            rows.Add(Row("multikernel", n, ShootdownBench.Messages(topology, ShootdownProtocol.NumaMulticast, n, unmap: true)));
        }
        foreach (var name in IpiProfile.Names)
        {
            var profile = IpiProfile.Load(name);
            foreach (var n in ShootdownBench.CoreCounts(topology))
            {
                progress?.Invoke($"unmap: {name} on {n} cores");
                rows.Add(Row(name, n, ShootdownBench.Ipi(topology, profile, n, unmap: true)));
            }
        }
        return new ExperimentResult(Name, model.Name, rows,
            [new PlotSpec("Unmap latency: messages vs IPIs", "cores", ["latencyCycles"], "cores", "cycles", SeriesOf: r => (string)r["system"])],
            [
                "Unmap = the application enters the OS (multikernel: a local RPC to its monitor, model 'localRpc'; monolithic: a system call, model 'trap'), clears the page-table entry, shoots down every TLB of cores 0..N-1, frees the frame; mean of 8 after 34 warm-ups (one full URPC ring).",
                "IPI baselines: model 'ipiSend' per target on the initiator, model 'trap' on each target, per-IPI handler cycles from models/baselines/*.json, a shared counter the initiator spins on.",
            ]) { Predicted = ["latencyCycles"] };
    }

    private static ResultRow Row(string system, int cores, double latency) =>
        new ResultRow().Add("system", system).Add("cores", (long)cores).Add("latencyCycles", Math.Round(latency, 1));
}
