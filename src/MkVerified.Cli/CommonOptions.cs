using System.CommandLine;
using MkVerified.Hardware;

namespace MkVerified.Cli;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Machine(string defaultName = ModelCatalog.DefaultName) => new("--machine", "-m")
    {
        Description = $"machine model: a name from models/ ({string.Join(", ", ModelCatalog.Names)}) or a path to a model file",
        DefaultValueFactory = _ => defaultName,
    };

    public static Option<string> Format() => new("--format")
    {
        Description = "output format on stdout: table or json",
        DefaultValueFactory = _ => "table",
    };

    public static Option<string?> Out(string what) => new("--out", "-o") { Description = what };

    public static string CheckFormat(string format) => format is "table" or "json" ? format : throw new UsageException($"--format must be 'table' or 'json', not '{format}'");
}
