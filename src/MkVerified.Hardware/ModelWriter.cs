using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MkVerified.Hardware;

/// <summary>Serializes a model in the models/ file format (the inverse of <see cref="ModelParser"/>).</summary>
public static class ModelWriter
{
    public static string ToJson(MachineModel m)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("name", m.Name);
            w.WriteString("description", m.Description);
            w.WriteNumber("clockGHz", m.ClockGHz);
            w.WriteString("interconnect", m.Interconnect == InterconnectKind.Bus ? "bus" : "point-to-point");
            w.WriteStartArray("packages");
            foreach (var p in m.Packages)
            {
                w.WriteStartObject();
                w.WriteNumber("id", p.Id);
                w.WriteStartArray("dies");
                foreach (var d in p.Dies)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", d.Id);
                    w.WriteStartArray("cores");
                    foreach (var c in d.Cores) w.WriteNumberValue(c);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("caches");
            foreach (var c in m.Caches)
            {
                w.WriteStartObject();
                w.WriteNumber("level", c.Level);
                w.WriteNumber("sizeKiB", c.SizeKiB);
                w.WriteString("sharedBy", c.SharedBy.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("links");
            foreach (var (a, b) in m.Links)
            {
                w.WriteStartArray();
                w.WriteNumberValue(a);
                w.WriteNumberValue(b);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartObject(ModelParameters.Costs);
            foreach (var p in ModelParameters.In(ModelParameters.Costs)) w.WriteNumber(p.Name, p.Get(m));
            w.WriteEndObject();
            w.WriteStartObject(ModelParameters.Coherence);
            w.WriteString("probes", m.Coherence.Probes.ToString().ToLowerInvariant());
            foreach (var p in ModelParameters.In(ModelParameters.Coherence)) w.WriteNumber(p.Name, p.Get(m));
            w.WriteNumber("outstandingMisses", m.Coherence.OutstandingMisses);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
