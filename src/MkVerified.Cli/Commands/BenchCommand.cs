using System.CommandLine;
using MkVerified.Experiments;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk bench</c>: emulator throughput in wall-clock terms (build with -c Release for figures worth quoting).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "approximate wall-clock seconds per measurement", DefaultValueFactory = _ => 2.0 };
        var command = new Command("bench", "measure emulator throughput: modeled memory accesses per second and URPC messages per second") { seconds };
        command.SetAction(parse =>
        {
            var s = parse.GetValue(seconds);
            if (s <= 0 || s > 600) throw new UsageException($"--seconds must be in (0, 600], not {s}");
#if DEBUG
            Console.Error.WriteLine("warning: this is a Debug build; run 'dotnet run -c Release --project src/MkVerified.Cli -- bench' for real figures");
#endif
            foreach (var line in EmulatorBench.RunAll(TimeSpan.FromSeconds(s))) Console.Out.WriteLine(line);
            return ExitCodes.Ok;
        });
        return command;
    }
}
