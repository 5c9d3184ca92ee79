using MkVerified.Experiments;
using MkVerified.Hardware;

namespace MkVerified.Tests.Experiments;

/// <summary>The four paper machines reproduce Table 2's URPC latency within 10% (the calibration contract).</summary>
public class CalibrationTests
{
    public static TheoryData<string, string, int> Rows()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var t in CalibrationTargets.Table2) data.Add(t.Machine, t.Path, t.LatencyCycles);
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Urpc_latency_is_within_ten_percent_of_table_2(string machine, string path, int paperCycles)
    {
        var result = new UrpcExperiment().Run(ModelCatalog.Load(machine));
        var row = Assert.Single(result.Rows, r => (string)r["path"] == path);
        var latency = (double)row["latencyCycles"];
        Assert.InRange(latency, paperCycles * 0.9, paperCycles * 1.1);
    }

    [Fact]
    public void Shared_memory_cost_grows_with_cores_while_the_server_cost_stays_flat()
    {
        var t = TestMachines.Get("amd-4x4");
        var shared2 = SharedVsMessagesExperiment.Shared(t, 2, 4);
        var shared16 = SharedVsMessagesExperiment.Shared(t, 16, 4);
        var (server2, _) = SharedVsMessagesExperiment.Messages(t, 2, 4);
        var (server15, client15) = SharedVsMessagesExperiment.Messages(t, 15, 4);
        Assert.True(shared16 > 3 * shared2, $"shared: {shared2} at 2 cores, {shared16} at 16");
        Assert.InRange(server15, server2 * 0.8, server2 * 1.2);
        Assert.True(shared16 > server15, "past a handful of cores, messages win");
        Assert.True(client15 > server15, "a client's round trip includes queueing at the server");
    }
}
