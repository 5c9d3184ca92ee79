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
            WriteStrings(w, "fitted", result.Fitted);
            WriteStrings(w, "predicted", result.Predicted);
            if (result.Measured.Count > 0)
            {
                // A run on host threads: what was measured, and how (pinning, repeats, spread) as notes.
                w.WriteString("backend", "threads");
                WriteStrings(w, "measured", result.Measured);
                WriteStrings(w, "notes", result.Notes);
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

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
