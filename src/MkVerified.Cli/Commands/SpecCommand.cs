using System.CommandLine;
using MkVerified.Protocols.Agreement;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk spec export</c>: writes the protocol machines' diagrams (DOT and Mermaid) generated from the code.</summary>
public static class SpecCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "directory to write the diagrams into", DefaultValueFactory = _ => "spec" };
        var export = new Command("export", "write spec/agreement-*.dot and spec/agreement-*.mmd from the agreement state machines") { output };
        export.SetAction(parse =>
        {
            foreach (var path in AgreementDiagrams.Export(OutputPaths.Directory("--out", parse.GetValue(output)!))) Console.Out.WriteLine($"wrote {path}");
            return ExitCodes.Ok;
        });
        return new Command("spec", "protocol specifications generated from the code") { export };
    }
}
