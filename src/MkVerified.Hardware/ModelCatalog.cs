using System.Reflection;

namespace MkVerified.Hardware;

/// <summary>
/// Finds machine models: the files of models/ are embedded in this assembly, so every name works from any
/// directory; anything that looks like a path (or exists as a file) is read from disk instead.
/// </summary>
public static class ModelCatalog
{
    public const string DefaultName = "amd-8x4";
    private const string Prefix = "models/";

    public static IReadOnlyList<string> Names { get; } = typeof(ModelCatalog).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length])
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToList();

    /// <summary>Loads a model by name (from the embedded models/) or by file path; throws <see cref="ModelException"/> with a one-line reason.</summary>
    public static MachineModel Load(string nameOrPath)
    {
        if (Names.Contains(nameOrPath))
        {
            var embedded = ReadEmbedded(nameOrPath);
            return ModelParser.Parse(embedded, $"models/{nameOrPath}.json") with { Origin = ModelOrigin.Of($"embedded models/{nameOrPath}.json", embedded) };
        }
        var looksLikePath = nameOrPath.Contains('/') || nameOrPath.Contains('\\') || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        if (File.Exists(nameOrPath) || Directory.Exists(nameOrPath) || looksLikePath) return LoadFile(nameOrPath);
        throw new ModelException(nameOrPath, $"unknown machine model; known models: {string.Join(", ", Names)} (or give a path to a .json file)");
    }

    public static MachineModel LoadFile(string path)
    {
        string text;
        try
        {
            text = StrictJson.ReadFile(path);
        }
        catch (JsonInputException e)
        {
            throw new ModelException(path, e.Message);
        }
        return ModelParser.Parse(text, path) with { Origin = ModelOrigin.Of(path, text) };
    }

    public static string ReadEmbedded(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name + ".json")
            ?? throw new ModelException(name, "not an embedded model");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
