using System.Text.RegularExpressions;
using MkVerified.Hardware;

namespace MkVerified.Tests.Hardware;

/// <summary>The one list of cycle parameters must cover the model's records exactly and address each field by its own name.</summary>
public class ModelParametersTests
{
    [Fact]
    public void Every_cycle_field_of_the_model_is_in_the_list_once()
    {
        static IEnumerable<string> IntFields(Type t) =>
            t.GetProperties().Where(p => p.PropertyType == typeof(int) && p.Name != nameof(CoherenceSpec.OutstandingMisses))
                .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);
        Assert.Equal(IntFields(typeof(CostSpec)).Order(), ModelParameters.In(ModelParameters.Costs).Select(p => p.Name).Order());
        Assert.Equal(IntFields(typeof(CoherenceSpec)).Order(), ModelParameters.In(ModelParameters.Coherence).Select(p => p.Name).Order());
    }

    [Fact]
    public void Each_parameter_reads_and_writes_its_own_field_through_the_file()
    {
        var model = ModelCatalog.Load("amd-8x4");
        var distinct = ModelParameters.All.Select((p, i) => (p, Value: 1000 + i)).ToList();
        foreach (var (p, value) in distinct) model = p.Set(model, value);
        var parsed = ModelParser.Parse(ModelWriter.ToJson(model), "distinct values");
        foreach (var (p, value) in distinct) Assert.Equal((p.Path, value), (p.Path, p.Get(parsed)));
        Assert.Equal(ModelCatalog.Load("amd-8x4").Coherence.OutstandingMisses, parsed.Coherence.OutstandingMisses);
    }

    [Fact]
    public void A_missing_cycle_field_is_named_with_its_section()
    {
        var json = Regex.Replace(ModelWriter.ToJson(ModelCatalog.Load("amd-4x4")), "\"homeOccupancy\": [0-9]+,\n", "");
        var e = Assert.Throws<ModelException>(() => ModelParser.Parse(json, "m.json"));
        Assert.Contains("missing field 'coherence.homeOccupancy'", e.Message);
    }
}
