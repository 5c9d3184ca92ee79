using System.Text.Json;

namespace MkVerified.Hardware;

/// <summary>
/// Reads a machine model from JSON strictly: unknown fields, missing fields, wrong types and
/// out-of-range values are refused with the field's path. Consistency is checked by <see cref="ModelValidator"/>.
/// </summary>
public static class ModelParser
{
    private static readonly string[] TopFields = ["name", "description", "clockGHz", "interconnect", "packages", "caches", "links", "costs", "coherence"];
    private static readonly string[] CostFields = [.. ModelParameters.In(ModelParameters.Costs).Select(p => p.Name)];
    private static readonly string[] CoherenceFields = ["probes", .. ModelParameters.In(ModelParameters.Coherence).Select(p => p.Name), "outstandingMisses"];

    public static MachineModel Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = StrictJson.Parse(json);
        }
        catch (JsonInputException e)
        {
            throw new ModelException(source, e.Message);
        }

        using (doc)
        {
            var root = doc.RootElement;
            Expect(root, JsonValueKind.Object, "the document", source);
            CheckFields(root, TopFields, "", source);
            var costsEl = Required(root, "costs", "", source);
            Expect(costsEl, JsonValueKind.Object, "costs", source);
            CheckFields(costsEl, CostFields, "costs.", source);
            var coherenceEl = Required(root, "coherence", "", source);
            Expect(coherenceEl, JsonValueKind.Object, "coherence", source);
            CheckFields(coherenceEl, CoherenceFields, "coherence.", source);

            var model = new MachineModel
            {
                Name = String(root, "name", "", source),
                Description = String(root, "description", "", source),
                ClockGHz = Number(root, "clockGHz", "", source, 0.1, 100),
                Interconnect = String(root, "interconnect", "", source) switch
                {
                    "point-to-point" => InterconnectKind.PointToPoint,
                    "bus" => InterconnectKind.Bus,
                    var other => throw new ModelException(source, $"field 'interconnect' must be \"point-to-point\" or \"bus\", not \"{other}\""),
                },
                Packages = Packages(root, source),
                Caches = Caches(root, source),
                Links = Links(root, source),
                Costs = new CostSpec(),
                Coherence = new CoherenceSpec
                {
                    Probes = String(coherenceEl, "probes", "coherence.", source) switch
                    {
                        "broadcast" => ProbeKind.Broadcast,
                        "filtered" => ProbeKind.Filtered,
                        var other => throw new ModelException(source, $"field 'coherence.probes' must be \"broadcast\" or \"filtered\", not \"{other}\""),
                    },
                },
            };
            foreach (var p in ModelParameters.All)
                model = p.Set(model, Cost(p.Section == ModelParameters.Costs ? costsEl : coherenceEl, p.Name, source, p.Section + "."));
            model = model with
            {
                Coherence = model.Coherence with
                {
                    OutstandingMisses = Int(Required(coherenceEl, "outstandingMisses", "coherence.", source), "coherence.outstandingMisses", source, 1, 64),
                },
            };
            ModelValidator.Validate(model, source);
            return model;
        }
    }

    private static List<PackageSpec> Packages(JsonElement root, string source)
    {
        var arr = Required(root, "packages", "", source);
        Expect(arr, JsonValueKind.Array, "packages", source);
        var result = new List<PackageSpec>();
        var i = 0;
        foreach (var p in arr.EnumerateArray())
        {
            var path = $"packages[{i}]";
            Expect(p, JsonValueKind.Object, path, source);
            CheckFields(p, ["id", "dies"], path + ".", source);
            var diesEl = Required(p, "dies", path + ".", source);
            Expect(diesEl, JsonValueKind.Array, path + ".dies", source);
            var dies = new List<DieSpec>();
            var j = 0;
            foreach (var d in diesEl.EnumerateArray())
            {
                var dpath = $"{path}.dies[{j}]";
                Expect(d, JsonValueKind.Object, dpath, source);
                CheckFields(d, ["id", "cores"], dpath + ".", source);
                var coresEl = Required(d, "cores", dpath + ".", source);
                Expect(coresEl, JsonValueKind.Array, dpath + ".cores", source);
                var cores = new List<int>();
                var k = 0;
                foreach (var c in coresEl.EnumerateArray())
                {
                    cores.Add(Int(c, $"{dpath}.cores[{k}]", source, 0, 1 << 20));
                    k++;
                }
                dies.Add(new DieSpec((int)Number(d, "id", dpath + ".", source, 0, 1 << 20), cores));
                j++;
            }
            result.Add(new PackageSpec((int)Number(p, "id", path + ".", source, 0, 1 << 20), dies));
            i++;
        }
        return result;
    }

    private static List<CacheLevel> Caches(JsonElement root, string source)
    {
        var arr = Required(root, "caches", "", source);
        Expect(arr, JsonValueKind.Array, "caches", source);
        var result = new List<CacheLevel>();
        var i = 0;
        foreach (var c in arr.EnumerateArray())
        {
            var path = $"caches[{i}]";
            Expect(c, JsonValueKind.Object, path, source);
            CheckFields(c, ["level", "sizeKiB", "sharedBy"], path + ".", source);
            var sharing = String(c, "sharedBy", path + ".", source) switch
            {
                "core" => CacheSharing.Core,
                "die" => CacheSharing.Die,
                "package" => CacheSharing.Package,
                var other => throw new ModelException(source, $"field '{path}.sharedBy' must be \"core\", \"die\" or \"package\", not \"{other}\""),
            };
            result.Add(new CacheLevel((int)Number(c, "level", path + ".", source, 1, 4), (int)Number(c, "sizeKiB", path + ".", source, 1, 1 << 30), sharing));
            i++;
        }
        return result;
    }

    private static List<(int, int)> Links(JsonElement root, string source)
    {
        var arr = Required(root, "links", "", source);
        Expect(arr, JsonValueKind.Array, "links", source);
        var result = new List<(int, int)>();
        var i = 0;
        foreach (var l in arr.EnumerateArray())
        {
            var path = $"links[{i}]";
            if (l.ValueKind != JsonValueKind.Array || l.GetArrayLength() != 2)
                throw new ModelException(source, $"field '{path}' must be a pair of package ids like [0, 1]");
            result.Add((Int(l[0], path + "[0]", source, 0, 1 << 20), Int(l[1], path + "[1]", source, 0, 1 << 20)));
            i++;
        }
        return result;
    }

    private static void CheckFields(JsonElement obj, string[] allowed, string prefix, string source)
    {
        foreach (var prop in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, prop.Name) < 0)
                throw new ModelException(source, $"unknown field '{prefix}{prop.Name}'");
        }
    }

    private static JsonElement Required(JsonElement obj, string name, string prefix, string source) =>
        obj.TryGetProperty(name, out var el) ? el : throw new ModelException(source, $"missing field '{prefix}{name}'");

    private static void Expect(JsonElement el, JsonValueKind kind, string path, string source)
    {
        if (el.ValueKind != kind)
            throw new ModelException(source, $"'{path}' must be {Article(kind)}, not {Article(el.ValueKind)}");
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    private static string String(JsonElement obj, string name, string prefix, string source)
    {
        var el = Required(obj, name, prefix, source);
        Expect(el, JsonValueKind.String, prefix + name, source);
        var s = el.GetString()!;
        if (s.Length == 0) throw new ModelException(source, $"field '{prefix}{name}' must not be empty");
        return s;
    }

    private static double Number(JsonElement obj, string name, string prefix, string source, double min, double max)
    {
        var el = Required(obj, name, prefix, source);
        Expect(el, JsonValueKind.Number, prefix + name, source);
        var v = el.GetDouble();
        if (v < min || v > max)
            throw new ModelException(source, $"field '{prefix}{name}' is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}, must be in [{min.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}]");
        return v;
    }

    private static int Int(JsonElement el, string path, string source, int min, int max)
    {
        if (el.ValueKind != JsonValueKind.Number || !el.TryGetInt32(out var v))
            throw new ModelException(source, $"'{path}' must be an integer");
        if (v < min || v > max)
            throw new ModelException(source, $"'{path}' is {v}, must be in [{min}, {max}]");
        return v;
    }

    private static int Cost(JsonElement costs, string name, string source, string prefix)
    {
        var el = Required(costs, name, prefix, source);
        if (el.ValueKind != JsonValueKind.Number || !el.TryGetInt32(out var v))
            throw new ModelException(source, $"field '{prefix}{name}' must be an integer number of cycles");
        if (v < 0)
            throw new ModelException(source, $"field '{prefix}{name}' is {v}: a cost cannot be negative");
        if (v > 1_000_000)
            throw new ModelException(source, $"field '{prefix}{name}' is {v}: more than 1,000,000 cycles is not a plausible cost");
        return v;
    }
}
