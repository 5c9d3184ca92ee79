using System.CommandLine;
using MkVerified.Experiments;
using MkVerified.Experiments.Host;
using MkVerified.Hardware;
using MkVerified.Runtime.Host;

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

    public static Option<string> Backend() => new("--backend")
    {
        Description = "where the protocol code runs: emulator (the machine model, in modeled cycles) or threads (the host's cores, timed in real time)",
        DefaultValueFactory = _ => "emulator",
    };

    public static string CheckBackend(string backend) => backend is "emulator" or "threads" ? backend : throw new UsageException($"--backend must be 'emulator' or 'threads', not '{backend}'");

    public static Option<int> Repeats() => new("--repeats")
    {
        Description = "threads backend: timed runs per figure (the median is reported, with the spread)",
        DefaultValueFactory = _ => 7,
    };

    public static HostRunSettings HostSettings(int repeats) =>
        repeats is >= 1 and <= 101 ? new HostRunSettings { Repeats = repeats } : throw new UsageException($"--repeats must be in 1..101, not {repeats}");

    /// <summary>The experiment's host-threads form, or a usage error naming why it has none.</summary>
    public static IHostExperiment HostExperiment(IExperiment experiment) => experiment as IHostExperiment ?? throw new UsageException(
        experiment.Name == "unmap"
            ? $"experiment 'unmap' compares with the IPI baseline and {HostCore.NoInterruptsMessage}"
            : $"experiment '{experiment.Name}' does not run on --backend threads; ones that do: {string.Join(", ", ExperimentCatalog.All.OfType<IHostExperiment>().Select(e => e.Name))}");
}
