using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MkVerified.Exploration;

/// <summary>
/// Splitting a run's iterations over shards (<c>--shard K/N</c>, <c>--workers N</c>) and merging the shards' JSON
/// results (<c>mk explore merge</c>). Shard K of N runs the K-th contiguous slice of the iteration budget, with the seed
/// of its first iteration (iteration i of the whole run still uses seed + i), so the shards together run exactly the
/// iterations of the serial run.
/// </summary>
public static class ExploreShards
{
    /// <summary>Parses <c>K/N</c> (0 &lt;= K &lt; N).</summary>
    public static (int K, int N)? Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || k >= n) return null;
        return (k, n);
    }

    /// <summary>The first iteration (0-based, relative to the run's seed) and the number of iterations of shard K of N.</summary>
    public static (uint First, uint Count) Slice(uint iterations, int k, int n)
    {
        var first = (uint)((ulong)iterations * (ulong)k / (ulong)n);
        var end = (uint)((ulong)iterations * (ulong)(k + 1) / (ulong)n);
        return (first, end - first);
    }

    /// <summary>
    /// Merges shard documents of one run (same scenario, variant, machine, cores, strategy and base seed) into one:
    /// iterations, distinct schedules (summed over shards) and buggy iterations add up; seconds is the slowest shard
    /// (they run side by side), cpuSeconds the sum; steps per iteration combine; bugs are listed with their iteration in
    /// the whole run. Throws <see cref="ExplorationInputException"/> on documents that do not belong together.
    /// </summary>
    public static string Merge(IReadOnlyList<(string Source, string Json)> documents)
    {
        if (documents.Count == 0) throw new ExplorationInputException("merge needs at least one JSON result");
        var docs = new List<(string Source, JsonElement Root)>();
        foreach (var (source, json) in documents)
        {
            try
            {
                docs.Add((source, JsonDocument.Parse(json).RootElement));
            }
            catch (JsonException e)
            {
                throw new ExplorationInputException($"{source}: not a JSON result of mk explore ({e.Message.ReplaceLineEndings(" ")})");
            }
        }
        string Str(string source, JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw new ExplorationInputException($"{source}: field '{name}' is missing or not a string");
        double Num(string source, JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : throw new ExplorationInputException($"{source}: field '{name}' is missing or not a number");
        string Key(string source, JsonElement e) =>
            $"{Str(source, e, "scenario")}/{Str(source, e, "variant")} on {Str(source, e, "machine")}, {Num(source, e, "cores")} cores, {Str(source, e, "strategy")}, base seed {BaseSeed(source, e)}";
        double BaseSeed(string source, JsonElement e) => Num(source, e, "seed");

        var key = Key(docs[0].Source, docs[0].Root);
        foreach (var (source, root) in docs)
            if (Key(source, root) != key) throw new ExplorationInputException($"{source}: a result of {Key(source, root)}, not of {key}");

        double iterations = 0, cpu = 0, wall = 0, distinct = 0, buggy = 0, min = double.MaxValue, max = 0, weighted = 0;
        var anyBuggy = false;
        var timedOut = false;
        var bugs = new List<(double Iteration, JsonElement Bug)>();
        foreach (var (source, root) in docs)
        {
            var n = Num(source, root, "iterations");
            iterations += n;
            var seconds = Num(source, root, "seconds");
            cpu += seconds;
            wall = Math.Max(wall, seconds);
            distinct += Num(source, root, "distinctSchedules");
            var steps = root.GetProperty("stepsPerIteration");
            if (n > 0)
            {
                min = Math.Min(min, Num(source, steps, "min"));
                max = Math.Max(max, Num(source, steps, "max"));
                weighted += Num(source, steps, "mean") * n;
            }
            if (root.TryGetProperty("buggyIterations", out var b) && b.ValueKind == JsonValueKind.Number)
            {
                anyBuggy = true;
                buggy += b.GetDouble();
            }
            timedOut |= root.TryGetProperty("timedOut", out var t) && t.ValueKind == JsonValueKind.True;
            var first = root.TryGetProperty("firstIteration", out var f) ? f.GetDouble() : 0;
            if (!root.TryGetProperty("bugs", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new ExplorationInputException($"{source}: field 'bugs' is missing or not an array");
            foreach (var bug in list.EnumerateArray()) bugs.Add((first + Num(source, bug, "iteration"), bug));
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var r = docs[0].Root;
            w.WriteStartObject();
            w.WriteString("scenario", Str(docs[0].Source, r, "scenario"));
            w.WriteString("variant", Str(docs[0].Source, r, "variant"));
            w.WriteString("machine", Str(docs[0].Source, r, "machine"));
            w.WriteNumber("cores", Num(docs[0].Source, r, "cores"));
            w.WriteString("strategy", Str(docs[0].Source, r, "strategy"));
            w.WriteNumber("seed", BaseSeed(docs[0].Source, r));
            w.WriteNumber("shards", docs.Count);
            w.WriteNumber("iterations", iterations);
            w.WriteNumber("seconds", Math.Round(wall, 3));
            w.WriteNumber("cpuSeconds", Math.Round(cpu, 3));
            w.WriteNumber("iterationsPerSecond", wall > 0 ? Math.Round(iterations / wall, 1) : 0);
            w.WriteStartObject("stepsPerIteration");
            w.WriteNumber("min", iterations > 0 ? min : 0);
            w.WriteNumber("mean", iterations > 0 ? Math.Round(weighted / iterations, 2) : 0);
            w.WriteNumber("max", max);
            w.WriteEndObject();
            w.WriteNumber("distinctSchedules", distinct);
            w.WriteNull("complete");
            w.WriteBoolean("timedOut", timedOut);
            if (anyBuggy) w.WriteNumber("buggyIterations", buggy);
            w.WriteStartArray("bugs");
            foreach (var (iteration, bug) in bugs.OrderBy(b => b.Iteration))
            {
                w.WriteStartObject();
                foreach (var p in bug.EnumerateObject())
                    if (p.Name == "iteration") w.WriteNumber("iteration", iteration);
                    else p.WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
