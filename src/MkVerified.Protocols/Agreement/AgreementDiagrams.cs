using Stateless.Graph;
using Stateless.Reflection;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// The agreement machines' definitions as diagrams (Graphviz DOT and Mermaid), generated from the Stateless
/// configuration of the correct protocol. spec/ holds the committed copies; a test fails when they drift.
/// </summary>
public static class AgreementDiagrams
{
    /// <summary>(file name, text) for every diagram, in a fixed order.</summary>
    public static IReadOnlyList<(string File, string Text)> Generate()
    {
        var host = new DescriptionHost();
        var variant = AgreementVariant.Correct;
        var machines = new (string Name, StateMachineInfo Info)[]
        {
            ("coordinator", new CoordinatorMachine(new CoordinatorRecord(new ReplyTally([], variant, false), new ReplyTally([], variant, false)), host, variant).Info),
            ("participant", new ParticipantMachine(new ParticipantRecord(), host, variant).Info),
            ("forwarder", new ForwarderMachine(new ForwarderRecord(new ReplyTally([], variant, true), new ReplyTally([], variant, true)), host, variant).Info),
        };
        var files = new List<(string, string)>();
        foreach (var (name, info) in machines)
        {
            files.Add(($"agreement-{name}.dot", Normalize(UmlDotGraph.Format(info))));
            files.Add(($"agreement-{name}.mmd", Normalize(MermaidGraph.Format(info))));
        }
        return files;
    }

    /// <summary>Writes every diagram into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Export(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (file, text) in Generate())
        {
            var path = Path.Combine(directory, file);
            File.WriteAllText(path, text);
            written.Add(path);
        }
        return written;
    }

    // Line endings and the trailing newline do not depend on the platform, so committed files compare exactly.
    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";
}
