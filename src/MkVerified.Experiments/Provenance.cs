using System.Text.Json;
using MkVerified.Hardware;

namespace MkVerified.Experiments;

/// <summary>
/// What produced a result, written into every result file: mk's version and git commit, the model (name, where it was
/// read from, SHA-256 of its text), the seed, and the command with its effective options. No timestamp: the same
/// inputs give the same files, byte for byte.
/// </summary>
public sealed record Provenance(string Command, MachineModel Model, long? Seed, IReadOnlyList<KeyValuePair<string, string>> Options)
{
    public string Version => BuildInfo.Version;
    public string Commit => BuildInfo.Commit;
    public string ModelSource => Model.Origin?.Source ?? "built in code";
    public string ModelSha256 => Model.Origin?.Sha256 ?? "none";

    /// <summary>The seed, or what stands for it: the cycle scheduler is deterministic and takes none.</summary>
    public string SeedText => Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (deterministic cycle scheduler)";

    public string OptionsText => string.Join(" ", Options.Select(o => $"--{o.Key} {o.Value}"));

    /// <summary>Writes <c>"provenance": {...}</c> as a property of the object being written.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject("provenance");
        w.WriteString("tool", "mk");
        w.WriteString("version", Version);
        w.WriteString("commit", Commit);
        w.WriteString("command", Command);
        w.WriteStartObject("model");
        w.WriteString("name", Model.Name);
        w.WriteString("source", ModelSource);
        w.WriteString("sha256", ModelSha256);
        w.WriteEndObject();
        if (Seed is { } seed) w.WriteNumber("seed", seed);
        else w.WriteNull("seed");
        w.WriteStartObject("options");
        foreach (var (key, value) in Options) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The same facts as lines of text (report.md, CSV header comments, explore output).</summary>
    public IReadOnlyList<string> Lines() =>
    [
        $"mk {Version}, commit {Commit}",
        $"command: mk {Command} {OptionsText}".TrimEnd(),
        $"model: {Model.Name} from {ModelSource}, sha256 {ModelSha256}",
        $"seed: {SeedText}",
    ];
}
