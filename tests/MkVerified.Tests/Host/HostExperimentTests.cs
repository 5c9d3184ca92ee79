using MkVerified.Experiments;
using MkVerified.Experiments.Host;
using MkVerified.Hardware;

namespace MkVerified.Tests.Host;

/// <summary>Experiments on the threads backend, with a small fraction of their work so they stay short on 2 cores.</summary>
public class HostExperimentTests
{
    internal static readonly HostRunSettings Quick = new() { Repeats = 3, Work = 0.02, Threads = HostThreadsTests.Short };

    [Fact]
    public void Urpc_on_host_threads_measures_latency_and_throughput_for_the_pair_of_host_cpus()
    {
        var result = new UrpcExperiment().RunOnHost(ModelCatalog.Load("amd-2x2"), Quick);
        var row = Assert.Single(result.Rows); // cores 0 and 1 are on CPUs 0 and 1; the one-hop core 2 wraps onto CPU 0
        Assert.Equal("same-die", row["path"]);
        Assert.True((double)row["latencyNs"] > 0);
        Assert.True((double)row["throughputMsgsPerKcycle"] > 0);
        var ns = (double)row["latencyCycles"] / 2.8; // cycles of the model's nominal 2.8 GHz clock
        Assert.InRange((double)row["latencyNs"], ns - 0.5, ns + 0.5);
        Assert.Equal(["latencyCycles", "throughputMsgsPerKcycle"], result.Measured);
        Assert.Contains(result.Notes, n => n.Contains("same host CPU"));
    }

    [Fact]
    public void Tlb_shootdown_on_host_threads_times_every_message_protocol_on_the_cores_the_host_has()
    {
        var result = new TlbShootdownExperiment().RunOnHost(ModelCatalog.Load("amd-2x2"), Quick with { Work = 1 });
        Assert.Equal(["unicast", "broadcast", "multicast", "numa-multicast"], result.Rows.Select(r => (string)r["protocol"]).ToArray());
        Assert.All(result.Rows, r => Assert.Equal(2L, r["cores"])); // 2 host CPUs: only the 2-core runs have a CPU per core
        Assert.All(result.Rows, r => Assert.True((double)r["latencyCycles"] > 0));
    }

    [Fact]
    public void Two_phase_commit_on_host_threads_times_each_tree_and_mode_on_the_cores_the_host_has()
    {
        var result = new TwoPhaseCommitExperiment().RunOnHost(ModelCatalog.Load("amd-2x2"), Quick);
        Assert.Equal(["unicast single", "unicast pipelined", "multicast single", "multicast pipelined", "numa single", "numa pipelined"],
            result.Rows.Select(r => $"{r["tree"]} {r["mode"]}").ToArray());
        Assert.All(result.Rows, r => Assert.Equal(2L, r["cores"])); // 2 host CPUs: only the 2-core runs have a CPU per core
        Assert.All(result.Rows, r => Assert.True((double)r["latencyCycles"] > 0 && (double)r["throughputOpsPerKcycle"] > 0));
        // One agreement at a time: the throughput is the latency's inverse; pipelined throughput is measured on its own.
        Assert.All(result.Rows.Where(r => (string)r["mode"] == "single"),
            r => Assert.Equal(1000.0 / (double)r["latencyCycles"], (double)r["throughputOpsPerKcycle"], 0.01 * (double)r["throughputOpsPerKcycle"]));
        Assert.All(result.Rows.Where(r => (string)r["mode"] == "pipelined"), r => Assert.True(r.Has("throughputSpreadPercent")));
        Assert.Equal(["latencyCycles", "throughputOpsPerKcycle"], result.Measured);
    }

    [Fact]
    public void Shared_vs_messages_on_host_threads_runs_each_method_where_every_core_has_a_cpu_of_its_own()
    {
        var result = new SharedVsMessagesExperiment().RunOnHost(ModelCatalog.Load("amd-2x2"), Quick);
        // 2 host CPUs: shared on 1 and 2 cores; message with 1 client on core 0 (CPU 0) and the server on core 3 (CPU 1).
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(_ => new[] { "shared 1", "shared 2", "message 1" }).ToArray(),
            result.Rows.Select(r => $"{r["method"]} {r["cores"]}").ToArray());
        Assert.Equal([1L, 2L, 4L, 8L], result.Rows.Select(r => (long)r["lines"]).Distinct().ToArray());
        Assert.All(result.Rows, r => Assert.True((double)r["cyclesPerUpdate"] > 0));
        Assert.All(result.Rows.Where(r => (string)r["method"] == "message"), r => Assert.True((double)r["clientLatencyCycles"] > 0));
        Assert.Equal(["cyclesPerUpdate", "clientLatencyCycles"], result.Measured);
    }

    [Fact]
    public void Caps_on_host_threads_times_each_operation_on_the_cores_the_host_has()
    {
        var result = new CapsExperiment().RunOnHost(ModelCatalog.Load("amd-2x2"), Quick);
        // 2 host CPUs: only the 2-core run has a CPU per core, and there the one other core holds the copies.
        Assert.Equal(["copy", "retype", "delete", "revoke"], result.Rows.Select(r => (string)r["op"]).ToArray());
        Assert.All(result.Rows, r => Assert.Equal((2L, 1L), ((long)r["cores"], (long)r["holders"])));
        Assert.All(result.Rows, r => Assert.True((double)r["latencyCycles"] > 0 && r.Has("latencySpreadPercent")));
        Assert.Equal(["latencyCycles"], result.Measured);
    }

    [Fact]
    public void Samples_of_several_figures_take_the_median_of_each_separately()
    {
        var values = new Queue<double[]>([[100, 100, 100], [5, 50, 1], [3, 70, 2], [9, 60, 3]]); // the first is the warm-up, dropped
        var samples = Sample.OfEach(3, values.Dequeue);
        Assert.Equal([5.0, 60.0, 2.0], samples.Select(s => s.Median).ToArray());
        Assert.Equal(20, samples[1].Spread);
    }

    [Fact]
    public void Paired_samples_take_the_median_of_each_figure_separately()
    {
        var values = new Queue<(double, double)>([(100, 100), (5, 50), (3, 70), (9, 60)]); // the first is the warm-up, dropped
        var (first, second) = Sample.OfPairs(3, values.Dequeue);
        Assert.Equal(5, first.Median);
        Assert.Equal(60, second.Median);
        Assert.Equal(20, second.Spread);
    }

    [Fact]
    public void The_median_of_a_sample_is_its_middle_value_and_the_spread_is_max_minus_min()
    {
        var values = new Queue<double>([100, 5, 3, 9, 4]); // the first is the warm-up, dropped
        var s = Sample.Of(4, values.Dequeue);
        Assert.Equal(4.5, s.Median);
        Assert.Equal(6, s.Spread);
    }
}

/// <summary><c>mk calibrate</c> on the threads backend: a host model fitted to figures measured on the host.</summary>
public class HostCalibrationTests
{
    [Fact]
    public void A_host_model_is_fitted_to_the_urpc_figures_measured_on_its_threads()
    {
        var model = HostTopology.Read(ModelCatalog.Load("amd-2x2")).Model;
        var result = HostCalibration.Run(model, null, HostExperimentTests.Quick);
        var measured = Assert.Single(result.Measured); // this 2-CPU host has one path class between CPUs 0 and 1
        Assert.Equal(["sameDieTransfer", "messageSend", "messageReceive"], result.Free);
        var row = Assert.Single(result.Fit.Rows);
        Assert.Equal(measured.Path, row.Path);
        // The fit moved the model towards the host's own figures: its worst error is below the starting model's
        // (how close it gets depends on how consistent latency and throughput are on a loaded 2-vCPU machine).
        var start = ModelFit.Measure(model, full: true, result.Measured).Single();
        var startWorst = Math.Max(Math.Abs(start.LatencyError), Math.Abs(start.ThroughputError));
        Assert.True(result.Fit.WorstErrorPercent < startWorst, $"fitted worst error {result.Fit.WorstErrorPercent:F1}% vs start {startWorst:F1}%");
        ModelValidator.Validate(result.Fit.Model, "calibrated");
        Assert.Contains("calibrated on this host", result.Fit.Model.Description);
    }
}

/// <summary><c>mk validate-host</c>: measured (threads) against predicted (emulator) for every host-form experiment.</summary>
public class HostValidationTests
{
    [Fact]
    public void Each_measured_column_of_urpc_is_paired_with_the_emulators_prediction()
    {
        var model = HostTopology.Read(ModelCatalog.Load("amd-2x2")).Model;
        var all = HostValidation.Run(model, HostExperimentTests.Quick);
        var rows = all.Where(r => r.Experiment == "urpc").ToList();
        Assert.Equal(["same-die from 0 to 1 latencyCycles", "same-die from 0 to 1 throughputMsgsPerKcycle"], rows.Select(r => r.RowName).ToArray());
        // The shootdown protocols on the host's 2 CPUs, each against the emulator's prediction for 2 cores.
        Assert.Equal(["unicast cores 2", "broadcast cores 2", "multicast cores 2", "numa-multicast cores 2"],
            all.Where(r => r.Experiment == "tlb-shootdown").Select(r => r.RowName.Replace(" latencyCycles", "")).ToArray());
        // Two-phase commit: each tree and mode on the 2 CPUs, latency and throughput against the emulator's 2-core rows.
        var twoPc = all.Where(r => r.Experiment == "2pc").Select(r => r.RowName).ToArray();
        Assert.Equal(12, twoPc.Length);
        Assert.Contains("unicast single cores 2 latencyCycles", twoPc);
        Assert.Contains("numa pipelined cores 2 throughputOpsPerKcycle", twoPc);
        Assert.Contains("message lines 1 cores 1 clientLatencyCycles", all.Where(r => r.Experiment == "shared-vs-messages").Select(r => r.RowName));
        // Capabilities: each operation on the 2 CPUs (the other core holding the copies) against the emulator's 2-core rows.
        Assert.Equal(["copy cores 2 holders 1 latencyCycles", "retype cores 2 holders 1 latencyCycles", "delete cores 2 holders 1 latencyCycles", "revoke cores 2 holders 1 latencyCycles"],
            all.Where(r => r.Experiment == "caps").Select(r => r.RowName).ToArray());
        var predicted = new UrpcExperiment().Run(model).Rows.Single();
        Assert.Equal((double)predicted["latencyCycles"], rows[0].Predicted);
        Assert.True(rows[0].Measured > 0);
        Assert.Equal(100.0 * (rows[0].Predicted - rows[0].Measured) / rows[0].Measured, rows[0].ErrorPercent, 6);
    }
}
