using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MkVerified.Experiments;
using MkVerified.Hardware;

namespace MkVerified.Exploration;

/// <summary>The provenance of an exploration's outputs (its summary and its bug trace): mk, the model, the seed and the options.</summary>
public static class ExplorationProvenance
{
    public static Provenance Of(ExplorationRequest r) =>
        new($"explore {r.Scenario.Name}", ModelCatalog.Load(r.Machine), r.Seed,
        [
            new("variant", r.Variant),
            new("machine", r.Machine),
            new("cores", r.Cores.ToString(CultureInfo.InvariantCulture)),
            new("strategy", r.Strategy),
            new("iterations", r.Iterations.ToString(CultureInfo.InvariantCulture)),
            new("timeout", r.Timeout is { } t ? t.TotalSeconds.ToString(CultureInfo.InvariantCulture) : "none"),
            new("coverage", r.Coverage ? "yes" : "no"),
        ]);

    /// <summary>The provenance object as a JSON node (for files built as node trees).</summary>
    public static JsonNode ToNode(Provenance p)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            p.WriteJson(w);
            w.WriteEndObject();
        }
        return JsonNode.Parse(stream.ToArray())!["provenance"]!.DeepClone();
    }
}
