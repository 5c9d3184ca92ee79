using MkVerified.Hardware;

namespace MkVerified.Experiments;

/// <summary>Latency of copy-to-core, retype, delete-last-copy and revoke as the number of cores holding copies grows.</summary>
public sealed class CapsExperiment : IExperiment
{
    public string Name => "caps";
    public string Description => "capability operations (copy to one core, retype, delete of the last local copy, revoke) for 2..32 cores holding copies";

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        var measured = new List<CapsLatencies>();
        foreach (var n in ShootdownBench.CoreCounts(topology))
        {
            progress?.Invoke($"caps: {n} cores");
            measured.Add(CapsBench.Measure(topology, n));
        }
        foreach (var (op, of) in Ops)
            foreach (var m in measured)
                rows.Add(new ResultRow().Add("op", op).Add("cores", (long)m.Cores).Add("latencyCycles", Math.Round(of(m), 1)));
        return new ExperimentResult(Name, model.Name, rows,
            [new PlotSpec("Capability operation latency", "cores", ["latencyCycles"], "cores", "cycles", SeriesOf: r => (string)r["op"])],
            [
                "Core 0 owns a RAM capability R; cores 1..N-1 hold copies of R and of a Frame F0 retyped from it. copy = R to core 1; retype = R into a second Frame (the owner asks every core for overlapping descendants);",
                "delete = core 0's last copy of F0 (query every core, ownership moves to core 1); revoke = R (mark and sweep on every core). Mean of 4 rounds after 33 warm-up rounds (every URPC ring used all the way round once).",
                "Costs: one system call (model 'trap') per operation, CNode slot reads/writes and scans as memory accesses, messages as URPC costs them on the model.",
            ]) { Predicted = ["latencyCycles"] };
    }

    private static readonly (string Op, Func<CapsLatencies, double> Of)[] Ops =
    [
        ("copy", m => m.Copy), ("retype", m => m.Retype), ("delete", m => m.Delete), ("revoke", m => m.Revoke),
    ];
}
