using MkVerified.Hardware;

namespace MkVerified.Tests.Hardware;

public class ModelWriterTests
{
    public static TheoryData<string> ModelNames() => [.. ModelCatalog.Names];

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Writing_then_parsing_gives_an_equal_model(string name)
    {
        var model = ModelCatalog.Load(name);
        var json = ModelWriter.ToJson(model);
        var again = ModelParser.Parse(json, "round-trip");
        AssertEqualModels(model, again);
        Assert.Equal(json, ModelWriter.ToJson(again));
    }

    [Fact]
    public void A_synthetic_mesh_round_trips_too()
    {
        var mesh = SyntheticMachine.Mesh("mesh-3x2", 3, 2, 4, ModelCatalog.Load("amd-4x4").Costs, ModelCatalog.Load("amd-4x4").Coherence, clockGHz: 2.5);
        AssertEqualModels(mesh, ModelParser.Parse(ModelWriter.ToJson(mesh), "mesh"));
    }

    // The records hold lists, whose record equality is by reference: compare field by field.
    private static void AssertEqualModels(MachineModel expected, MachineModel actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.ClockGHz, actual.ClockGHz);
        Assert.Equal(expected.Interconnect, actual.Interconnect);
        Assert.Equal(expected.Costs, actual.Costs);
        Assert.Equal(expected.Caches, actual.Caches);
        Assert.Equal(expected.Links, actual.Links);
        Assert.Equal(expected.Packages.Count, actual.Packages.Count);
        for (var p = 0; p < expected.Packages.Count; p++)
        {
            var (pe, pa) = (expected.Packages[p], actual.Packages[p]);
            Assert.Equal(pe.Id, pa.Id);
            Assert.Equal(pe.Dies.Select(d => d.Id), pa.Dies.Select(d => d.Id));
            for (var d = 0; d < pe.Dies.Count; d++) Assert.Equal(pe.Dies[d].Cores, pa.Dies[d].Cores);
        }
    }
}
