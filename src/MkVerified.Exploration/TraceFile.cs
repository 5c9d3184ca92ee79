using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MkVerified.Hardware;

namespace MkVerified.Exploration;

/// <summary>
/// A bug trace on disk: self-describing JSON with everything replay needs (scenario, variant, machine, cores, the
/// policy of the failing iteration and its horizon) plus Coyote's reproducible trace (its settings and every recorded choice), the
/// bug message replay must see again, and provenance (strategy, seed, iterations, tool version).
/// </summary>
public sealed record TraceFile(
    string Scenario,
    string Variant,
    string Machine,
    int Cores,
    string Strategy,
    string Policy,
    int Horizon,
    uint Seed,
    long Iterations,
    string BugMessage,
    string CoyoteTrace,
    string Tool)
{
    /// <summary>Where the trace was read from (its path), named by every error about it.</summary>
    public string Source { get; init; } = "trace";

    /// <summary>What wrote the trace (mk version and commit, model source and SHA-256, seed, options); not read back by replay.</summary>
    public Experiments.Provenance? Provenance { get; init; }

    public const string Format = "mkverified-bug-trace";
    public const int FormatVersion = 1;

    public static string ToolVersion { get; } =
        $"mk {typeof(TraceFile).Assembly.GetName().Version?.ToString(3)} (Microsoft.Coyote {typeof(Microsoft.Coyote.Configuration).Assembly.GetName().Version?.ToString(3)})";

    public static TraceFile From(ExplorationResult result)
    {
        if (!result.FoundBug) throw new InvalidOperationException("no bug, no trace");
        var r = result.Request;
        return new TraceFile(r.Scenario.Name, r.Variant, r.Machine, r.Cores, r.Strategy, result.BugPolicy!, result.Horizon, r.Seed,
            result.IterationsRun, result.BugMessage!, result.ReproducibleTrace!, ToolVersion)
        {
            Provenance = ExplorationProvenance.Of(r),
        };
    }

    /// <summary>A deterministic file name: the same run writes the same file.</summary>
    public string FileName => $"{Scenario}-{Variant}-{Strategy}-seed{Seed}.trace.json";

    public string ToJson()
    {
        var o = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["scenario"] = Scenario,
            ["variant"] = Variant,
            ["machine"] = Machine,
            ["cores"] = Cores,
            ["strategy"] = Strategy,
            ["policy"] = Policy,
            ["horizon"] = Horizon,
            ["seed"] = Seed,
            ["iterations"] = Iterations,
            ["bugMessage"] = BugMessage,
            ["tool"] = Tool,
            ["coyoteTrace"] = JsonNode.Parse(CoyoteTrace),
        };
        if (Provenance is not null) o["provenance"] = ExplorationProvenance.ToNode(Provenance);
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        AtomicFile.Write(path, ToJson());
        return path;
    }

    /// <summary>Reads and validates a trace file; anything wrong is an <see cref="ExplorationInputException"/> with one line.</summary>
    public static TraceFile Read(string path)
    {
        string text;
        try
        {
            text = StrictJson.ReadFile(path);
        }
        catch (JsonInputException e)
        {
            throw new ExplorationInputException($"{path}: {e.Message}");
        }
        return Parse(text, path);
    }

    public static TraceFile Parse(string text, string source)
    {
        JsonObject o;
        try
        {
            // Strict first (duplicate keys, depth, size: each named), then the node tree the fields are read from.
            StrictJson.Parse(text).Dispose();
            o = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = StrictJson.MaxDepth + 1 }) as JsonObject ?? throw new ExplorationInputException($"{source}: not a trace file (the JSON is not an object)");
        }
        catch (JsonInputException e)
        {
            throw new ExplorationInputException($"{source}: not a trace file ({e.Message})");
        }
        if (Str(o, "format", source) != Format) throw new ExplorationInputException($"{source}: not a trace file (format is not '{Format}')");
        var version = Int(o, "formatVersion", source);
        if (version != FormatVersion) throw new ExplorationInputException($"{source}: trace format version {version} is not supported (this mk reads version {FormatVersion})");
        if (o["coyoteTrace"] is not JsonObject coyote) throw new ExplorationInputException($"{source}: field 'coyoteTrace' is missing or not an object");
        var seed = Int(o, "seed", source);
        var horizon = Int(o, "horizon", source);
        if (horizon < 1 || horizon > int.MaxValue) throw new ExplorationInputException($"{source}: field 'horizon' is out of range");
        if (seed < 0 || seed > uint.MaxValue) throw new ExplorationInputException($"{source}: field 'seed' is out of range");
        return new TraceFile(Str(o, "scenario", source), Str(o, "variant", source), Str(o, "machine", source), (int)Int(o, "cores", source),
            Str(o, "strategy", source), Str(o, "policy", source), (int)horizon, (uint)seed, Int(o, "iterations", source), Str(o, "bugMessage", source),
            coyote.ToJsonString(), Str(o, "tool", source)) { Source = source };
    }

    private static string Str(JsonObject o, string field, string source) =>
        o[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s
        : throw new ExplorationInputException($"{source}: field '{field}' is missing or not a non-empty string");

    private static long Int(JsonObject o, string field, string source) =>
        o[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n
        : throw new ExplorationInputException($"{source}: field '{field}' is missing or not an integer");
}
