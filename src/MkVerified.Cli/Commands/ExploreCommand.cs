using System.Text.Json;
using System.CommandLine;
using MkVerified.Scenarios;
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
        var preemptionBound = new Option<string?>("--preemption-bound") { Description = "exhaustive: at most K preemptions per schedule, or 'none' (default: the scenario's, listed by --list; unbounded where that search completes)" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "at most N scheduling decisions per iteration: longer ones are cut (not a bug; exhaustive: not complete)" };
        var pctDepth = new Option<int?>("--pct-depth") { Description = $"pct: priority change points per iteration (default {MkVerified.Exploration.Policies.PriorityPolicy.ChangePoints})" };
        var delayBound = new Option<int?>("--delay-bound") { Description = $"delay-bounding: delays per iteration (default {MkVerified.Exploration.Policies.DelayBoundingPolicy.Delays})" };
        var switchProbability = new Option<double?>("--switch-probability") { Description = "probabilistic: chance of switching at each decision, in (0, 1] (default 1/8)" };
        var shard = new Option<string?>("--shard") { Description = "K/N: run only the K-th of N slices of the iterations (0-based); merge the shards' --format json results with 'mk explore merge'" };
        var workers = new Option<int?>("--workers") { Description = "run the iterations as N shards side by side in this process and merge them" };
        var keepGoing = new Option<bool>("--continue") { Description = "do not stop at the first bug: count buggy iterations and keep a trace per distinct failing check" };
        var noMinimize = new Option<bool>("--no-minimize") { Description = "write a found bug's trace as found, not shrunk to the fewest preemptions and steps" };
        var junit = new Option<string?>("--junit") { Description = "also write a JUnit XML report (one test case for this run) to FILE" };
        var por = new Option<string>("--por") { Description = "exhaustive: partial-order reduction dpor (dynamic POR + sleep sets; under --preemption-bound bounded POR, and only preempted cores sleep), sleep (sleep sets only) or none (plain DFS)", DefaultValueFactory = _ => "dpor" };
        var command = new Command("explore", "explore a scenario's interleavings with Coyote or exhaustively; exit 0 no bug, 1 bug found (trace written), 2 bad input")
        {
            scenario, list, format, variant, machine, cores, strategy, iterations, seed, traceOut, timeout, coverage, preemptionBound, maxSteps, por, noMinimize, junit, pctDepth, delayBound, switchProbability, keepGoing, shard, workers,
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
            if (parse.GetValue(pctDepth) is < 0 or > 1000) throw new UsageException("--pct-depth must be in 0..1000");
            if (parse.GetValue(delayBound) is < 0 or > 1000) throw new UsageException("--delay-bound must be in 0..1000");
            if (parse.GetValue(switchProbability) is { } sp && !(sp > 0 && sp <= 1)) throw new UsageException("--switch-probability must be in (0, 1]");
            request = request with
            {
                Knobs = new PolicyKnobs(parse.GetValue(pctDepth), parse.GetValue(delayBound), parse.GetValue(switchProbability)),
                MaxSteps = parse.GetValue(maxSteps),
                Continue = parse.GetValue(keepGoing),
            };
            (int K, int N)? slice = null;
            if (parse.GetValue(shard) is { } shardText)
                slice = ExploreShards.Parse(shardText) ?? throw new UsageException($"--shard must be K/N with 0 <= K < N, not '{shardText}'");
            var workerCount = parse.GetValue(workers) ?? 1;
            if (workerCount is < 1 or > 64) throw new UsageException("--workers must be in 1..64");
            if ((slice is not null || workerCount > 1) && request.Strategy == Strategies.Exhaustive)
                throw new UsageException("--shard and --workers split seeded iterations; the exhaustive strategy has none");
            if (slice is not null && workerCount > 1) throw new UsageException("--shard and --workers cannot be combined");
            var bound = PreemptionBound(parse.GetValue(preemptionBound), s);
            if (parse.GetValue(maxSteps) is <= 0) throw new UsageException("--max-steps must be at least 1");
            var junitPath = parse.GetValue(junit);
            if (junitPath is not null && Path.GetDirectoryName(Path.GetFullPath(junitPath)) is { } junitDir && !Directory.Exists(junitDir))
                throw new UsageException($"--junit {junitPath}: directory {junitDir} does not exist");
            var minimize = !parse.GetValue(noMinimize);
            var json = fmt == "json";
            ExploreReport report;
            string? summary;
            if (request.Strategy == Strategies.Exhaustive)
            {
                var options = new ExhaustiveOptions
                {
                    PreemptionBound = bound,
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
                summary = ExhaustiveSummary.Render(request, options, exhaustive);
                var bugs = exhaustive.FoundBug
                    ? [Bug(exhaustive.Schedules, ExhaustiveSummary.Trace(request, horizon, exhaustive), minimize, parse.GetValue(traceOut)!)]
                    : Array.Empty<FoundBug>();
                report = ExploreReport.From(request, options, exhaustive, bugs);
            }
            else if (workerCount > 1)
            {
                // Each worker is one shard on its own thread (its own Coyote engines); their JSON results are merged.
                var parts = Enumerable.Range(0, workerCount).Select(k => ExploreShards.Slice(request.Iterations, k, workerCount)).ToList();
                var runs = parts.Select(p => p.Count == 0 ? null : Task.Run(() => ExplorationRunner.Run(request with
                {
                    Seed = request.Seed + p.First,
                    Iterations = p.Count,
                    Progress = null,
                }))).ToList();
                var shardJson = new List<(string, string)>();
                for (var k = 0; k < workerCount; k++)
                {
                    if (runs[k] is not { } task) continue;
                    var r = task.Result;
                    var bugs = r.FoundBug ? [Bug(r.IterationsRun, TraceFile.From(r), minimize, parse.GetValue(traceOut)!)] : Array.Empty<FoundBug>();
                    var part = ExploreReport.From(r, bugs) with { Shard = $"{k}/{workerCount}", FirstIteration = parts[k].First, BaseSeed = request.Seed };
                    shardJson.Add(($"worker {k}", part.Json()));
                }
                Progress.Done();
                var merged = ExploreShards.Merge(shardJson);
                Console.Out.Write(json ? merged : MergedText(merged));
                return JsonDocument.Parse(merged).RootElement.GetProperty("bugs").GetArrayLength() > 0 ? ExitCodes.Failure : ExitCodes.Ok;
            }
            else
            {
                var (first, count) = slice is { } sl ? ExploreShards.Slice(request.Iterations, sl.K, sl.N) : (0u, request.Iterations);
                if (count == 0) throw new UsageException($"--shard {slice!.Value.K}/{slice.Value.N} of {request.Iterations} iterations is empty");
                var baseSeed = request.Seed;
                request = request with { Seed = request.Seed + first, Iterations = count };
                var result = ExplorationRunner.Run(request);
                Progress.Done();
                summary = ExplorationSummary.Render(result) + (result.Coverage is { } coverageReport ? CoverageText.Render(coverageReport) : "");
                var bugs = result.FoundBug
                    ? [Bug(result.IterationsRun, TraceFile.From(result), minimize, parse.GetValue(traceOut)!)]
                    : result.DistinctBugs.Select((b, k) => Bug(b.Iteration, new TraceFile(request.Scenario.Name, request.Variant, request.Machine, request.Cores,
                        request.Strategy, Strategies.Random, result.Horizon, request.Seed, b.Iteration, b.Message, CoyoteSchedule.FromPicks(b.Picks), TraceFile.ToolVersion),
                        minimize, parse.GetValue(traceOut)!, k == 0 ? null : $"check{k + 1}")).ToArray();
                report = ExploreReport.From(result, bugs) with
                {
                    BuggyIterations = request.Continue ? result.BuggyIterations : null,
                    Shard = slice is { } s2 ? $"{s2.K}/{s2.N}" : null,
                    FirstIteration = first,
                    BaseSeed = baseSeed,
                };
            }
            if (json) Console.Out.Write(report.Json());
            else
            {
                Console.Out.Write(summary);
                Console.Out.WriteLine($"provenance: {string.Join("; ", ExplorationProvenance.Of(request).Lines())}");
                foreach (var b in report.Bugs)
                {
                    Console.Out.WriteLine(b.Minimized?.Summary ?? (minimize ? "not minimized: the bug does not recur outside Coyote (a liveness bug)" : "not minimized (--no-minimize)"));
                    Console.Out.WriteLine($"trace: {b.TracePath}");
                    Console.Out.WriteLine($"replay: mk replay {b.TracePath} --render text");
                }
            }
            if (junitPath is not null) File.WriteAllText(junitPath, report.JUnit());
            return report.Bugs.Count > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        });
        command.Subcommands.Add(MergeCommand());
        return command;
    }

    /// <summary>--preemption-bound: a number, "none" (unbounded), or absent (the scenario's default).</summary>
    private static int? PreemptionBound(string? text, MkVerified.Runtime.IScenario scenario) => text switch
    {
        null => scenario.DefaultPreemptionBound,
        "none" => null,
        _ when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) => k,
        _ => throw new UsageException($"--preemption-bound must be a number of 0 or more or 'none', not '{text}'"),
    };

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

    /// <summary><c>mk explore merge FILE...</c>: one verdict and summary from the shards' JSON results.</summary>
    private static Command MergeCommand()
    {
        var files = new Argument<string[]>("files") { Description = "JSON results of mk explore --shard K/N --format json", Arity = ArgumentArity.OneOrMore };
        var format = CommonOptions.Format();
        var merge = new Command("merge", "merge the JSON results of sharded explorations into one verdict; exit 0 no bug, 1 bug, 2 bad input") { files, format };
        merge.SetAction(parse =>
        {
            var fmt = CommonOptions.CheckFormat(parse.GetValue(format)!);
            var docs = parse.GetValue(files)!.Select(f => (f, File.ReadAllText(f))).ToList();
            var merged = ExploreShards.Merge(docs);
            Console.Out.Write(fmt == "json" ? merged : MergedText(merged));
            return JsonDocument.Parse(merged).RootElement.GetProperty("bugs").GetArrayLength() > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return merge;
    }

    private static string MergedText(string mergedJson)
    {
        var r = JsonDocument.Parse(mergedJson).RootElement;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"scenario:   {r.GetProperty("scenario").GetString()} / {r.GetProperty("variant").GetString()} on {r.GetProperty("machine").GetString()}, {r.GetProperty("cores")} cores");
        sb.AppendLine($"strategy:   {r.GetProperty("strategy").GetString()}, seed {r.GetProperty("seed")}, {r.GetProperty("shards")} shards");
        sb.AppendLine($"iterations: {r.GetProperty("iterations")} in {r.GetProperty("seconds")} s ({r.GetProperty("iterationsPerSecond")} it/s; {r.GetProperty("cpuSeconds")} s summed over shards), {r.GetProperty("distinctSchedules")} distinct schedules (summed over shards)");
        var bugs = r.GetProperty("bugs").EnumerateArray().ToList();
        sb.AppendLine($"verdict:    {(bugs.Count == 0 ? "no bug found" : $"{bugs.Count} bug(s) found")}");
        foreach (var b in bugs) sb.AppendLine($"bug:        iteration {b.GetProperty("iteration")}: {b.GetProperty("message").GetString()} (trace {b.GetProperty("trace")})");
        return sb.ToString();
    }

    /// <summary>Shrinks the bug's trace (unless told not to) and writes it.</summary>
    private static FoundBug Bug(long iteration, TraceFile raw, bool minimize, string directory, string? suffix = null)
    {
        var minimized = minimize ? ScheduleMinimizer.Minimize(raw) : null;
        var trace = minimized?.Trace ?? raw;
        string path;
        if (suffix is null) path = SaveTrace(trace, directory);
        else
        {
            Directory.CreateDirectory(directory);
            path = Path.Combine(directory, trace.FileName.Replace(".trace.json", $"-{suffix}.trace.json", StringComparison.Ordinal));
            File.WriteAllText(path, trace.ToJson());
        }
        return new FoundBug(iteration, trace.BugMessage, path, minimized);
    }
}
