using MkVerified.Hardware;

namespace MkVerified.Tests.Hardware;

public class TopologyTests
{
    [Fact]
    public void Amd8x4_is_a_twisted_ladder_of_degree_three_and_diameter_two()
    {
        var model = ModelCatalog.Load("amd-8x4");
        var t = new Topology(model);
        Assert.Equal(32, t.CoreCount);
        for (var p = 0; p < 8; p++)
            Assert.Equal(3, model.Links.Count(l => l.A == p || l.B == p));
        var diameter = 0;
        for (var a = 0; a < 8; a++)
            for (var b = 0; b < 8; b++) diameter = Math.Max(diameter, t.Hops(a, b));
        Assert.Equal(2, diameter);
    }

    [Theory]
    [InlineData("intel-2x4", 1, "shared")]
    [InlineData("intel-2x4", 2, "non-shared")]
    [InlineData("intel-2x4", 4, "non-shared")]
    [InlineData("amd-2x2", 1, "same-die")]
    [InlineData("amd-2x2", 2, "one-hop")]
    [InlineData("amd-4x4", 3, "shared")]
    [InlineData("amd-4x4", 4, "one-hop")]
    [InlineData("amd-4x4", 12, "two-hop")]
    [InlineData("amd-8x4", 8, "two-hop")]
    public void Path_classes_are_named_as_table_2_names_them(string machine, int to, string expected)
    {
        var t = new Topology(ModelCatalog.Load(machine));
        Assert.Equal(expected, t.Path(0, to).Name);
    }

    [Fact]
    public void Representative_paths_of_amd_4x4_are_shared_one_hop_two_hop_in_cost_order()
    {
        var t = new Topology(ModelCatalog.Load("amd-4x4"));
        Assert.Equal(["shared", "one-hop", "two-hop"], t.RepresentativePaths(0).Select(p => p.Path.Name));
    }

    [Fact]
    public void On_chip_transfers_follow_the_model_parameters_and_leaving_the_chip_is_the_interconnects()
    {
        var model = ModelCatalog.Load("amd-4x4");
        var t = new Topology(model);
        Assert.Equal(model.Costs.CacheHit, t.OnChipCost(5, 5));
        Assert.Equal(model.Costs.SharedCacheTransfer, t.OnChipCost(0, 1));
        Assert.True(t.SameChip(0, 3));
        Assert.False(t.SameChip(0, 4));
        var intel = new Topology(ModelCatalog.Load("intel-2x4"));
        Assert.True(intel.SameChip(0, 1));   // one die, one L2
        Assert.False(intel.SameChip(0, 2));  // another die of the same package: over the front-side bus
    }

    [Fact]
    public void Every_model_in_models_loads_and_is_embedded()
    {
        Assert.Contains("amd-8x4", ModelCatalog.Names);
        Assert.Contains("synthetic-1024", ModelCatalog.Names);
        foreach (var name in ModelCatalog.Names)
        {
            var m = ModelCatalog.Load(name);
            Assert.Equal(name, m.Name);
        }
        Assert.Equal(1024, ModelCatalog.Load("synthetic-1024").CoreCount);
        Assert.Equal(256, ModelCatalog.Load("synthetic-256").CoreCount);
    }
}
