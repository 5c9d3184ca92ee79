using MkVerified.Experiments;
using MkVerified.Hardware;

namespace MkVerified.Tests.Experiments;

/// <summary>The four paper machines reproduce Table 2 within 10%, latency and throughput both (the calibration contract).</summary>
public class CalibrationTests
{
    public static TheoryData<string> Machines() => new(CalibrationTargets.Table2.Select(t => t.Machine).Distinct());

    [Theory]
    [MemberData(nameof(Machines))]
    public void Every_urpc_row_is_within_ten_percent_of_table_2_in_latency_and_throughput(string machine)
    {
        var result = new UrpcExperiment().Run(ModelCatalog.Load(machine));
        foreach (var target in CalibrationTargets.Table2.Where(t => t.Machine == machine))
        {
            var row = Assert.Single(result.Rows, r => (string)r["path"] == target.Path);
            var latency = (double)row["latencyCycles"];
            var throughput = (double)row["throughputMsgsPerKcycle"];
            Assert.True(Math.Abs(latency - target.LatencyCycles) <= 0.1 * target.LatencyCycles, $"{machine} {target.Path}: latency {latency} vs {target.LatencyCycles}");
            Assert.True(Math.Abs(throughput - target.ThroughputMsgsPerKcycle) <= 0.1 * target.ThroughputMsgsPerKcycle, $"{machine} {target.Path}: throughput {throughput} vs {target.ThroughputMsgsPerKcycle}");
        }
    }
}
