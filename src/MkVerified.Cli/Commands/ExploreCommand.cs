using System.CommandLine;
using MkVerified.Experiments.Scenarios;
using MkVerified.Exploration;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk explore</c>: Coyote explores a scenario's interleavings; on a bug it writes a trace for <c>mk replay</c>.</summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string?>("scenario") { Description = $"scenario: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "list every scenario and its variants (seeded bugs) with what each breaks" };
        var format = CommonOptions.Format();
        var variant = new Option<string>("--variant") { Description = "the real code ('correct') or a seeded bug", DefaultValueFactory = _ => "correct" };
        var machine = new Option<string?>("--machine", "-m") { Description = "machine model (default: the scenario's)" };
        var cores = new Option<int?>("--cores") { Description = "cores the scenario uses (default: the scenario's)" };
        var strategy = new Option<string>("--strategy") { Description = $"{string.Join("|", Strategies.All)}", DefaultValueFactory = _ => Strategies.Probabilistic };
        var iterations = new Option<uint>("--iterations") { Description = "iteration budget (iteration i uses seed + i)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<uint>("--seed") { Description = "seed of the first iteration", DefaultValueFactory = _ => 0 };
        var traceOut = new Option<string>("--trace-out") { Description = "directory for the bug trace", DefaultValueFactory = _ => "traces-out" };
        var timeout = new Option<int?>("--timeout") { Description = "stop after this many seconds (no bug found so far)" };
        var coverage = new Option<bool>("--coverage") { Description = "report per state machine the states and transitions visited, and those never visited" };
        var command = new Command("explore", "explore a scenario's interleavings with Coyote; exit 0 no bug, 1 bug found (trace written), 2 bad input")
        {
            scenario, list, format, variant, machine, cores, strategy, iterations, seed, traceOut, timeout, coverage,
        };
        command.SetAction(parse =>
        {
            var fmt = CommonOptions.CheckFormat(parse.GetValue(format)!);
            if (parse.GetValue(list))
            {
                Console.Out.Write(fmt == "json" ? ScenarioListing.Json() : ScenarioListing.Text());
                return ExitCodes.Ok;
            }
            var name = parse.GetValue(scenario) ?? throw new UsageException("explore needs a SCENARIO (or --list)");
            var s = ScenarioCatalog.Find(name) ?? throw new UsageException($"unknown scenario '{name}'; known: {string.Join(", ", ScenarioCatalog.All.Select(x => x.Name))}");
            var budget = parse.GetValue(iterations);
            if (budget == 0) throw new UsageException("--iterations must be at least 1");
            if (parse.GetValue(timeout) is <= 0) throw new UsageException("--timeout must be a positive number of seconds");
            var traceDir = OutputPaths.Directory("--trace-out", parse.GetValue(traceOut)!);
            var request = new ExplorationRequest(s, parse.GetValue(variant)!, parse.GetValue(machine) ?? s.DefaultMachine,
                parse.GetValue(cores) ?? s.DefaultCores, parse.GetValue(strategy)!, budget, parse.GetValue(seed))
            {
                Timeout = parse.GetValue(timeout) is { } t ? TimeSpan.FromSeconds(t) : null,
                Coverage = parse.GetValue(coverage),
                Progress = Progress.ToStderr,
            };
            var result = ExplorationRunner.Run(request);
            Progress.Done();
            Console.Out.Write(ExplorationSummary.Render(result));
            Console.Out.WriteLine($"provenance: {string.Join("; ", ExplorationProvenance.Of(request).Lines())}");
            if (result.Coverage is { } report) Console.Out.Write(CoverageText.Render(report));
            if (!result.FoundBug) return ExitCodes.Ok;
            var path = SaveTrace(TraceFile.From(result), traceDir);
            Console.Out.WriteLine($"trace: {path}");
            Console.Out.WriteLine($"replay: mk replay {path} --render text");
            return ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>
    /// Writes the trace of a found bug where asked; if that fails now (the directory was checked before exploring, but
    /// may have gone since), into the temporary directory, and failing that onto stdout: a found bug's trace is never lost.
    /// </summary>
    private static string SaveTrace(TraceFile trace, string directory)
    {
        foreach (var dir in new[] { directory, Path.Combine(Path.GetTempPath(), "mk-traces") })
        {
            try
            {
                Directory.CreateDirectory(dir);
                return trace.Write(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"mk: cannot write the trace into {dir} ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
            }
        }
        Console.Out.Write(trace.ToJson());
        return "(printed above)";
    }
}
