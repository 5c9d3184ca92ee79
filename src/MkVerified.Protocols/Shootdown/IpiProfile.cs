using System.Text.Json;

namespace MkVerified.Protocols.Shootdown;

/// <summary>
/// Per-IPI handler parameters of a monolithic kernel's TLB shootdown (the baseline), read from
/// models/baselines/NAME.json. The IPI send and trap costs themselves come from the machine model.
/// </summary>
public sealed record IpiProfile(string Name, string Description, int InitiatorPerTargetCycles, int HandlerCycles)
{
    public static IReadOnlyList<string> Names { get; } = ["linux", "windows"];

    public static IpiProfile Load(string name)
    {
        using var stream = typeof(IpiProfile).Assembly.GetManifestResourceStream($"baselines/{name}.json")
            ?? throw new ArgumentException($"unknown IPI baseline profile '{name}' (known: {string.Join(", ", Names)})");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        return new IpiProfile(
            root.GetProperty("name").GetString()!,
            root.GetProperty("description").GetString()!,
            root.GetProperty("initiatorPerTargetCycles").GetInt32(),
            root.GetProperty("handlerCycles").GetInt32());
    }
}
