using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MkVerified.Exploration.Renders;

/// <summary>
/// Chrome trace-event JSON (<c>{"traceEvents":[...]}</c>) of a replayed run, one pid per core, which Perfetto and
/// chrome://tracing open. Timestamps are the core's modeled cycle (1 unit = 1 cycle), not wall time.
/// </summary>
public static class ChromeTrace
{
    public static string Render(ReplayResult replay, bool polls = false)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("traceEvents");
            foreach (var c in replay.CoreIds)
            {
                w.WriteStartObject();
                w.WriteString("name", "process_name");
                w.WriteString("ph", "M");
                w.WriteNumber("pid", c);
                w.WriteStartObject("args");
                w.WriteString("name", $"core {c}");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            long last = 0;
            foreach (var e in EventText.Fold(replay.Events, polls))
            {
                last = Math.Max(last, e.Cycle);
                w.WriteStartObject();
                // Named like the other renders: the transition, or the kind with the message named ("send -> 4: agreement.Prepare seq 0").
                w.WriteString("name", EventText.Describe(e, replay.Trace.Scenario));
                w.WriteString("cat", "protocol");
                w.WriteString("ph", "i");
                w.WriteString("s", "t");
                w.WriteNumber("pid", e.Core);
                w.WriteNumber("tid", e.Core);
                w.WriteNumber("ts", e.Cycle);
                w.WriteStartObject("args");
                w.WriteNumber("step", e.Step);
                if (e.Peer >= 0) w.WriteNumber("peer", e.Peer);
                w.WriteString("detail", MessageNames.InDetail(replay.Trace.Scenario, e.Detail));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            if (replay.BugMessage is not null)
            {
                w.WriteStartObject();
                w.WriteString("name", "BUG");
                w.WriteString("ph", "i");
                w.WriteString("s", "g");
                w.WriteNumber("pid", 0);
                w.WriteNumber("tid", 0);
                w.WriteNumber("ts", last);
                w.WriteStartObject("args");
                w.WriteString("message", EventText.Verdict(replay));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("displayTimeUnit", "ns");
            w.WriteStartObject("otherData");
            w.WriteString("scenario", $"{replay.Trace.Scenario}/{replay.Trace.Variant}");
            w.WriteString("machine", replay.Trace.Machine);
            w.WriteString("timestamps", "modeled cycles");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
