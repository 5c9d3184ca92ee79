using MkVerified.Experiments.Host;
using MkVerified.Hardware;

namespace MkVerified.Experiments;

/// <summary>
/// Latency of copy-to-core, retype, delete-last-copy and revoke as the machine grows, with 1, 4 and all other cores
/// holding copies: the operations message the holders only, so their cost follows the holders, not the core count.
/// </summary>
public sealed class CapsExperiment : IHostExperiment
{
    public string Name => "caps";
    public string Description => "capability operations (copy to one core, retype, delete of the last local copy, revoke) for 2..256 cores, with 1, 4 or all of them holding copies";

    /// <summary>
    /// The largest core count measured. Not a limit of the protocol (relation sets hold any core): every pair of
    /// members has a channel and every monitor polls all of them, so 256 cores already take minutes (about 4 on
    /// synthetic-256) and 1024 would take hours.
    /// </summary>
    public const int MaxCores = 256;

    /// <summary>The holder counts measured on <paramref name="cores"/> cores: 1, 4 and all but the owner (those that exist).</summary>
    public static IReadOnlyList<int> HolderCounts(int cores) => new[] { 1, 4, cores - 1 }.Where(h => h <= cores - 1).Distinct().ToList();

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var rows = new List<ResultRow>();
        var measured = new List<CapsLatencies>();
        foreach (var n in ShootdownBench.CoreCounts(topology).Where(n => n <= MaxCores))
        {
            foreach (var holders in HolderCounts(n))
            {
                progress?.Invoke($"caps: {n} cores, {holders} holding copies");
                measured.Add(CapsBench.Measure(topology, n, holders));
            }
        }
        foreach (var (op, of) in Ops)
            foreach (var m in measured)
                rows.Add(new ResultRow().Add("op", op).Add("cores", (long)m.Cores).Add("holders", (long)m.Holders).Add("latencyCycles", Math.Round(of(m), 1)));
        return new ExperimentResult(Name, model.Name, rows,
            [
                new PlotSpec("Capability operation latency, every core holding copies", "cores", ["latencyCycles"], "cores", "cycles",
                    SeriesOf: r => (string)r["op"], Include: r => (long)r["holders"] == (long)r["cores"] - 1),
                new PlotSpec("Revoke and delete latency by holders of copies", "cores", ["latencyCycles"], "cores", "cycles",
                    SeriesOf: r => $"{r["op"]}, {HoldersLabel(r)}", Include: r => (string)r["op"] is "revoke" or "delete") { FileSuffix = "-holders" },
            ],
            [
                "Core 0 owns a RAM capability R; H other cores (spread evenly, the last core always one) hold copies of R and of a Frame F0 retyped from it. copy = R to the first holder; retype = R into a second Frame (the owner asks the descendant holders for overlapping descendants);",
                "delete = core 0's last copy of F0 (query the holders, ownership moves to the first); revoke = R (mark and sweep on the holders). Mean of 4 rounds after 33 warm-up rounds (every URPC ring used all the way round once).",
                "holders: 1, 4 and all (cores - 1) at each core count. Costs: one system call (model 'trap') per operation, CNode slot reads/writes and scans as memory accesses, messages as URPC costs them on the model.",
            ]) { Predicted = ["latencyCycles"] };
    }

    /// <summary>
    /// The same rounds on the host's cores, for every core count the host has a CPU per core for: the median over
    /// repeated runs of each operation's latency, in nominal cycles and in real time, with its spread.
    /// </summary>
    public ExperimentResult RunOnHost(MachineModel model, HostRunSettings settings, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var cpus = Enumerable.Range(0, topology.CoreCount).Select(settings.CpuOf).ToArray();
        var counts = ShootdownBench.CoreCounts(topology).Where(n => n <= MaxCores && cpus.Take(n).Distinct().Count() == n).ToList();
        var measured = new List<(int Cores, int Holders, Sample[] Ops)>();
        foreach (var n in counts)
        {
            foreach (var holders in HolderCounts(n))
            {
                progress?.Invoke($"caps on host threads: {n} cores, {holders} holding copies");
                var samples = Sample.OfEach(settings.Repeats, () =>
                {
                    var m = CapsBench.Measure(topology, n, holders, settings.NewRun);
                    return Ops.Select(o => o.Of(m)).ToArray();
                });
                measured.Add((n, holders, samples));
            }
        }
        var rows = new List<ResultRow>();
        for (var op = 0; op < Ops.Length; op++)
            foreach (var (cores, holders, samples) in measured)
                rows.Add(new ResultRow().Add("op", Ops[op].Op).Add("cores", (long)cores).Add("holders", (long)holders)
                    .Add("latencyNs", Math.Round(samples[op].Median / model.ClockGHz, 1))
                    .Add("latencyCycles", Math.Round(samples[op].Median, 1))
                    .Add("latencySpreadPercent", Math.Round(samples[op].SpreadPercent, 1)));
        return new ExperimentResult(Name, model.Name, rows,
            [new PlotSpec("Capability operation latency (host threads)", "cores", ["latencyNs"], "cores", "ns", SeriesOf: r => $"{r["op"]}, {HoldersLabel(r)}")],
            [
                $"Measured on host threads (core i on the i-th host CPU; only core counts with a CPU per core): median of {settings.Repeats} runs after one warm-up run, each the mean of 4 rounds after 33 warm-up ones; spread = (max - min) / median.",
                "The same rounds as on the emulator; CNode slots and URPC lines are real memory. The modeled trap is not paid on a host thread (local compute costs only the real instructions' time).",
            ]) { Measured = ["latencyCycles"] };
    }

    private static string HoldersLabel(ResultRow r) => (long)r["holders"] == (long)r["cores"] - 1 ? "all hold" : $"{r["holders"]} hold";

    private static readonly (string Op, Func<CapsLatencies, double> Of)[] Ops =
    [
        ("copy", m => m.Copy), ("retype", m => m.Retype), ("delete", m => m.Delete), ("revoke", m => m.Revoke),
    ];
}
