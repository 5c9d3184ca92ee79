using System.CommandLine;
using MkVerified.Cli.Commands;
using MkVerified.Exploration;
using MkVerified.Hardware;

namespace MkVerified.Cli;

/// <summary>The mk program: parses, dispatches, and turns bad input into one line on stderr and exit code 2.</summary>
public static class MkCli
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("mk: the MkVerified multikernel emulator. Emulate the paper's experiments on a machine model, explore protocol interleavings with Coyote, replay bug traces.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(SkbCommand.Create());
        root.Subcommands.Add(SpecCommand.Create());
        root.Subcommands.Add(ExploreCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(StressCommand.Create());
        root.Subcommands.Add(ValidateHostCommand.Create());

        // 'mk' alone and 'mk help [COMMAND...]' show the help (exit 0), like 'mk --help'.
        if (args.Length == 0) args = ["--help"];
        else if (args[0] == "help") args = [.. args[1..], "--help"];
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"mk: {parse.Errors[0].Message} (see 'mk --help')");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ModelException or ExplorationInputException or UsageException or IOException or UnauthorizedAccessException)
        {
            // Bad input of any kind: one line naming what is wrong, exit 2, never a stack trace.
            Console.Error.WriteLine($"mk: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MK_DEBUG") is null)
        {
            // A failure of the tool itself: one line (set MK_DEBUG=1 for the stack trace).
            Console.Error.WriteLine($"mk: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
