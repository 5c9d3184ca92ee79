using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MkVerified.Scenarios;

namespace MkVerified.Exploration;

/// <summary><c>mk explore --list</c>: every scenario and its seeded variants, as lines or as JSON for scripts.</summary>
public static class ScenarioListing
{
    public static string Text()
    {
        var sb = new StringBuilder();
        foreach (var s in ScenarioCatalog.All)
        {
            sb.AppendLine($"{s.Name}: {s.Description} (exhaustive search's default preemption bound: {s.DefaultPreemptionBound?.ToString() ?? "none"})");
            foreach (var v in s.Variants) sb.AppendLine($"{s.Name} --variant {v.Name}: {v.Breaks}");
        }
        return sb.ToString();
    }

    public static string Json()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var s in ScenarioCatalog.All)
            {
                w.WriteStartObject();
                w.WriteString("scenario", s.Name);
                w.WriteString("description", s.Description);
                if (s.DefaultPreemptionBound is { } bound) w.WriteNumber("defaultPreemptionBound", bound);
                else w.WriteNull("defaultPreemptionBound");
                w.WriteStartArray("variants");
                foreach (var v in s.Variants)
                {
                    w.WriteStartObject();
                    w.WriteString("name", v.Name);
                    w.WriteString("breaks", v.Breaks);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
