using System.Text.Json.Nodes;
using Microsoft.Coyote.Random;
using Microsoft.Coyote.Specifications;

namespace MkVerified.Exploration;

/// <summary>
/// Writes a schedule found outside Coyote (exhaustive search, minimization) as a Coyote reproducible trace for the
/// uniform policy: the uniform policy draws exactly one <c>NextInteger(candidates)</c> per scheduling decision and
/// takes the drawn index, so recording the picked index at each decision replays that schedule with <c>mk replay</c>
/// like any other trace. The settings and the operation name come from a one-draw trace Coyote writes itself.
/// </summary>
public static class CoyoteSchedule
{
    private static readonly Lazy<(JsonObject Template, string StepPrefix)> Template = new(MakeTemplate);

    public static string FromPicks(IReadOnlyList<int> picks)
    {
        var (template, prefix) = Template.Value;
        var trace = (JsonObject)template.DeepClone();
        var steps = new JsonArray();
        foreach (var p in picks) steps.Add($"{prefix}int({p})");
        trace["Steps"] = steps;
        return trace.ToJsonString();
    }

    private static (JsonObject, string) MakeTemplate()
    {
        var configuration = CoyoteSettings.Base().WithTestingIterations(1).WithRandomStrategy().WithRandomGeneratorSeed(0);
        using var engine = CoyoteSettings.CreateEngine(configuration, () =>
        {
            Generator.Create().NextInteger(2);
            Specification.Assert(false, "template");
        });
        engine.Run();
        var trace = JsonNode.Parse(engine.ReproducibleTrace) as JsonObject ?? throw new InvalidOperationException("Coyote wrote no reproducible trace");
        var step = trace["Steps"]?[0]?.GetValue<string>() ?? throw new InvalidOperationException("Coyote's trace has no steps");
        var at = step.LastIndexOf("int(", StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"unexpected Coyote trace step '{step}'");
        return (trace, step[..at]);
    }
}
