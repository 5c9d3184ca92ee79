using System.CommandLine;
using MkVerified.Experiments.Scenarios;
using MkVerified.Exploration;
using MkVerified.Exploration.Exhaustive;

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
        var strategy = new Option<string>("--strategy") { Description = $"{string.Join("|", Strategies.Accepted)}", DefaultValueFactory = _ => Strategies.Probabilistic };
        var iterations = new Option<uint>("--iterations") { Description = "iteration budget (iteration i uses seed + i)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<uint>("--seed") { Description = "seed of the first iteration", DefaultValueFactory = _ => 0 };
        var traceOut = new Option<string>("--trace-out") { Description = "directory for the bug trace", DefaultValueFactory = _ => "traces-out" };
        var timeout = new Option<int?>("--timeout") { Description = "stop after this many seconds (no bug found so far)" };
        var coverage = new Option<bool>("--coverage") { Description = "report per state machine the states and transitions visited, and those never visited" };
        var preemptionBound = new Option<int?>("--preemption-bound") { Description = "exhaustive: at most K preemptions per schedule (default: unbounded)" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "exhaustive: at most N scheduling decisions per schedule (longer ones are cut: not complete)" };
        var por = new Option<string>("--por") { Description = "exhaustive: partial-order reduction dpor (dynamic POR + sleep sets), sleep (sleep sets only) or none (plain DFS)", DefaultValueFactory = _ => "dpor" };
        var command = new Command("explore", "explore a scenario's interleavings with Coyote or exhaustively; exit 0 no bug, 1 bug found (trace written), 2 bad input")
        {
            scenario, list, format, variant, machine, cores, strategy, iterations, seed, traceOut, timeout, coverage, preemptionBound, maxSteps, por,
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
            var request = new ExplorationRequest(s, parse.GetValue(variant)!, parse.GetValue(machine) ?? s.DefaultMachine,
                parse.GetValue(cores) ?? s.DefaultCores, parse.GetValue(strategy)!, budget, parse.GetValue(seed))
            {
                Timeout = parse.GetValue(timeout) is { } t ? TimeSpan.FromSeconds(t) : null,
                Coverage = parse.GetValue(coverage),
                Progress = Progress.ToStderr,
            };
            if (parse.GetValue(preemptionBound) is < 0) throw new UsageException("--preemption-bound must be 0 or more");
            if (parse.GetValue(maxSteps) is <= 0) throw new UsageException("--max-steps must be at least 1");
            if (request.Strategy == Strategies.Exhaustive)
            {
                var options = new ExhaustiveOptions
                {
                    PreemptionBound = parse.GetValue(preemptionBound),
                    MaxSteps = parse.GetValue(maxSteps) ?? long.MaxValue,
                    Reduction = parse.GetValue(por) switch
                    {
                        "dpor" => Reduction.Dpor,
                        "sleep" => Reduction.Sleep,
                        "none" => Reduction.None,
                        var other => throw new UsageException($"--por must be dpor, sleep or none, not '{other}'"),
                    },
                };
                var exhaustive = ExhaustiveRunner.Run(request, options, out var horizon);
                Progress.Done();
                Console.Out.Write(ExhaustiveSummary.Render(request, options, exhaustive));
                if (!exhaustive.FoundBug) return ExitCodes.Ok;
                var trace = ExhaustiveSummary.Trace(request, horizon, exhaustive);
                var written = trace.Write(parse.GetValue(traceOut)!);
                Console.Out.WriteLine($"trace: {written}");
                Console.Out.WriteLine($"replay: mk replay {written} --render text");
                return ExitCodes.Failure;
            }
            var result = ExplorationRunner.Run(request);
            Progress.Done();
            Console.Out.Write(ExplorationSummary.Render(result));
            if (result.Coverage is { } report) Console.Out.Write(CoverageText.Render(report));
            if (!result.FoundBug) return ExitCodes.Ok;
            var path = TraceFile.From(result).Write(parse.GetValue(traceOut)!);
            Console.Out.WriteLine($"trace: {path}");
            Console.Out.WriteLine($"replay: mk replay {path} --render text");
            return ExitCodes.Failure;
        });
        return command;
    }
}
