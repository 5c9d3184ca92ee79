using MkVerified.Experiments;
using MkVerified.Experiments.Output;
using MkVerified.Hardware;
using MkVerified.Kernel.Skb;

namespace MkVerified.Tests.Experiments;

public class TwoPhaseCommitTests
{
    [Fact]
    public void Rows_have_exactly_the_documented_fields_for_every_tree_mode_and_core_count()
    {
        var result = new TwoPhaseCommitExperiment().Run(ModelCatalog.Load("amd-4x4"));
        Assert.Equal(3 * 2 * 5, result.Rows.Count); // 2, 4, 8, 12, 16 cores on a 16-core machine
        foreach (var row in result.Rows)
            Assert.Equal(["tree", "mode", "cores", "latencyCycles", "throughputOpsPerKcycle"], row.Fields.Select(f => f.Key));
        var rows = System.Text.Json.JsonDocument.Parse(JsonResultWriter.Render(result)).RootElement.GetProperty("rows");
        foreach (var row in rows.EnumerateArray())
        {
            Assert.Equal(["tree", "mode", "cores", "latencyCycles", "throughputOpsPerKcycle"], row.EnumerateObject().Select(p => p.Name));
            Assert.Contains(row.GetProperty("tree").GetString(), new[] { "unicast", "multicast", "numa" });
            Assert.Contains(row.GetProperty("mode").GetString(), new[] { "single", "pipelined" });
            Assert.True(row.GetProperty("latencyCycles").GetInt64() > 0);
            Assert.True(row.GetProperty("throughputOpsPerKcycle").GetDouble() > 0);
        }
    }

    [Fact]
    public void Multicast_trees_beat_unicast_at_16_cores_and_latency_grows_with_cores()
    {
        var t = TestMachines.Get("amd-4x4");
        var unicast16 = TwoPhaseCommitBenchmarks.SingleLatency(t, 16, TreeKind.Unicast);
        var multicast16 = TwoPhaseCommitBenchmarks.SingleLatency(t, 16, TreeKind.Multicast);
        var unicast4 = TwoPhaseCommitBenchmarks.SingleLatency(t, 4, TreeKind.Unicast);
        Assert.True(multicast16 < unicast16, $"multicast {multicast16} vs unicast {unicast16}");
        Assert.True(unicast4 < unicast16);
    }

    [Fact]
    public void Pipelining_raises_throughput_above_one_over_latency()
    {
        var t = TestMachines.Get("amd-4x4");
        var single = TwoPhaseCommitBenchmarks.SingleLatency(t, 8, TreeKind.Multicast);
        var (_, throughput) = TwoPhaseCommitBenchmarks.Pipelined(t, 8, TreeKind.Multicast, 32, 8);
        Assert.True(throughput > 1.2 * 1000.0 / single, $"pipelined {throughput:F3} vs single {1000.0 / single:F3} per kcycle");
    }
}
