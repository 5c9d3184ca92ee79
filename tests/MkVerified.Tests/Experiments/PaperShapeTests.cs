using MkVerified.Experiments;
using MkVerified.Hardware;

namespace MkVerified.Tests.Experiments;

/// <summary>
/// The paper's claims about Figures 3, 6 and 7, asserted as shapes (orderings, growth, crossovers) of what the
/// calibrated models predict. No figure of the paper is copied here: only its claims.
/// </summary>
public class PaperShapeTests
{
    // Figure 6 is asserted by two tests; the experiment takes seconds, so it runs once.
    private static readonly Lazy<ExperimentResult> Figure6 = new(() => new TlbShootdownExperiment().Run(ModelCatalog.Load("amd-8x4")));

    private static Dictionary<(string Series, long Cores), double> Curve(ExperimentResult result, string seriesField) =>
        result.Rows.ToDictionary(r => ((string)r[seriesField], (long)r["cores"]), r => (double)r["latencyCycles"]);

    [Fact]
    public void Figure_3_shared_memory_grows_with_cores_and_lines_while_one_server_stays_flat_and_wins_at_eight_lines()
    {
        var t = TestMachines.Get("amd-4x4");
        var shared = new Dictionary<(int Lines, int Cores), double>();
        foreach (var lines in new[] { 1, 8 })
            foreach (var cores in new[] { 2, 4, 8, 16 })
                shared[(lines, cores)] = SharedVsMessagesExperiment.Shared(t, cores, lines);
        foreach (var lines in new[] { 1, 8 })
        {
            Assert.True(shared[(lines, 4)] > shared[(lines, 2)] && shared[(lines, 8)] > shared[(lines, 4)] && shared[(lines, 16)] > shared[(lines, 8)], $"{lines} line(s): not growing with cores");
            Assert.True(shared[(lines, 16)] > 4 * shared[(lines, 2)], $"{lines} line(s): 16 cores cost {shared[(lines, 16)]}, 2 cores {shared[(lines, 2)]}: far from linear");
        }
        foreach (var cores in new[] { 2, 16 })
            Assert.True(shared[(8, cores)] > 4 * shared[(1, cores)], $"{cores} cores: 8 lines cost {shared[(8, cores)]}, 1 line {shared[(1, cores)]}: not growing with lines");
        var server = new[] { 4, 8, 15 }.Select(n => SharedVsMessagesExperiment.Messages(t, n, 8).ServerCyclesPerUpdate).ToArray();
        Assert.True(server.Max() <= 1.2 * server.Min(), $"the server's cost per update is not flat: {string.Join(", ", server)}");
        // 16 cores updating 8 lines together complete fewer updates per cycle than one server.
        Assert.True(16 / shared[(8, 16)] < 1 / server[^1], $"16 shared-memory cores: {16 / shared[(8, 16)] * 1000:F2} updates/kcycle; one server {1000 / server[^1]:F2}");
    }

    [Fact]
    public void Figure_6_broadcast_is_no_better_than_unicast_and_both_multicasts_are_far_below_at_32_cores()
    {
        var curve = Curve(Figure6.Value, "protocol");
        foreach (var cores in new long[] { 4, 8, 16, 24, 32 })
            Assert.True(curve[("broadcast", cores)] >= 0.95 * curve[("unicast", cores)], $"{cores} cores: broadcast {curve[("broadcast", cores)]} beats unicast {curve[("unicast", cores)]}");
        Assert.True(curve[("broadcast", 32)] >= curve[("unicast", 32)]);
        Assert.True(curve[("multicast", 32)] < 0.5 * curve[("unicast", 32)]);
        Assert.True(curve[("numa-multicast", 32)] < 0.5 * curve[("unicast", 32)]);
    }

    [Fact]
    public void Figure_6_numa_aware_multicast_is_the_cheapest_once_targets_span_packages_and_multicast_is_next_from_ten_cores()
    {
        var topology = TestMachines.Get("amd-8x4");
        var curve = Curve(Figure6.Value, "protocol");
        string[] protocols = ["unicast", "broadcast", "multicast", "numa-multicast"];
        foreach (var cores in curve.Keys.Select(k => k.Cores).Distinct().Where(n => topology.PackageOf((int)n - 1) != topology.PackageOf(0)))
        {
            var ranked = protocols.OrderBy(p => curve[(p, cores)]).ToList();
            Assert.True(ranked[0] == "numa-multicast", $"{cores} cores: {string.Join(" < ", ranked.Select(p => $"{p} {curve[(p, cores)]}"))}");
            if (cores >= 10) Assert.True(ranked[1] == "multicast", $"{cores} cores: {string.Join(" < ", ranked.Select(p => $"{p} {curve[(p, cores)]}"))}");
        }
    }

    [Fact]
    public void Figure_7_message_unmap_is_slower_at_two_cores_grows_slowly_and_crosses_windows_before_linux_at_about_a_dozen()
    {
        var curve = Curve(new UnmapExperiment().Run(ModelCatalog.Load("amd-8x4")), "system");
        var counts = curve.Keys.Select(k => k.Cores).Distinct().Order().ToList();
        Assert.True(curve[("multikernel", 2)] > curve[("linux", 2)] && curve[("multikernel", 2)] > curve[("windows", 2)], "at 2 cores messages cost more than IPIs");
        long Crossing(string system) => counts.First(n => curve[("multikernel", n)] < curve[(system, n)]);
        Assert.True(Crossing("windows") < Crossing("linux"), $"crosses windows at {Crossing("windows")}, linux at {Crossing("linux")}");
        Assert.True(Crossing("linux") >= 10, $"crosses linux at {Crossing("linux")} cores, not at roughly a dozen");
        Assert.True(counts.Where(n => n >= Crossing("linux")).All(n => curve[("multikernel", n)] < curve[("linux", n)]), "once below linux it stays below");
        var growth = (curve[("multikernel", 32)] - curve[("multikernel", 2)]) / (curve[("linux", 32)] - curve[("linux", 2)]);
        Assert.True(growth < 0.5, $"message unmap grows {growth:P0} as fast as linux");
    }
}
