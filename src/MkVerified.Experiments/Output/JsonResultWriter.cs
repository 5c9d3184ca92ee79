using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MkVerified.Experiments.Output;

/// <summary>Writes <c>{"experiment":E,"machine":M,"fitted":[...],"predicted":[...],("backend","measured","notes" for host runs,)"rows":[...],"provenance":{...}}</c> with fields in row order, deterministically.</summary>
public static class JsonResultWriter
{
    public static string Render(ExperimentResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("experiment", result.Experiment);
            w.WriteString("machine", result.Machine);
            w.WriteStartArray("fitted");
            foreach (var column in result.Fitted) w.WriteStringValue(column);
            w.WriteEndArray();
            w.WriteStartArray("predicted");
            foreach (var column in result.Predicted) w.WriteStringValue(column);
            w.WriteEndArray();
            if (result.Measured.Count > 0)
            {
                // A run on host threads: what was measured, and how (pinning, repeats, spread) as notes.
                w.WriteString("backend", "threads");
                w.WriteStartArray("measured");
                foreach (var column in result.Measured) w.WriteStringValue(column);
                w.WriteEndArray();
                w.WriteStartArray("notes");
                foreach (var note in result.Notes) w.WriteStringValue(note);
                w.WriteEndArray();
            }
            w.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                foreach (var (key, value) in row.Fields)
                {
                    switch (value)
                    {
                        case long l: w.WriteNumber(key, l); break;
                        case int i: w.WriteNumber(key, i); break;
                        case double d: w.WriteNumber(key, Math.Round(d, 3)); break;
                        default: w.WriteString(key, ValueFormat.Text(value)); break;
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            result.Provenance?.WriteJson(w); // last, so the fields scripts read keep their places
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
