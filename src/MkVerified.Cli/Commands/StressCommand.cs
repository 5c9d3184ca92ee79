using System.CommandLine;
using MkVerified.Experiments.Host;
using MkVerified.Scenarios;
using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Runtime.Host;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk stress SCENARIO</c>: runs a scenario N times on the host's threads with its safety checks armed (exit 1 on a violation).</summary>
public static class StressCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("scenario") { Description = $"scenario: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}" };
        var iterations = new Option<int>("--iterations") { Description = "runs of the scenario", DefaultValueFactory = _ => 1000 };
        var variant = new Option<string>("--variant") { Description = "correct, or a seeded bug of the scenario", DefaultValueFactory = _ => IScenario.Correct };
        var machine = new Option<string?>("--machine", "-m") { Description = "machine model (default: the scenario's)" };
        var cores = new Option<int?>("--cores") { Description = "cores (default: the scenario's)" };
        var seconds = new Option<double>("--time-limit") { Description = "seconds one run may take before it counts as hung", DefaultValueFactory = _ => 10 };
        var command = new Command("stress", "run a scenario many times on the host's real cores (threads backend) with its safety checks; exit 1 on a violation")
        {
            name, iterations, variant, machine, cores, seconds,
        };
        command.SetAction(parse =>
        {
            var scenario = ScenarioCatalog.Find(parse.GetValue(name)!) ?? throw new UsageException($"unknown scenario '{parse.GetValue(name)}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}");
            var v = parse.GetValue(variant)!;
            if (v != IScenario.Correct && scenario.Variants.All(x => x.Name != v))
                throw new UsageException($"--variant: scenario {scenario.Name} has no variant '{v}'; variants: {string.Join(", ", [IScenario.Correct, .. scenario.Variants.Select(x => x.Name)])}");
            var n = parse.GetValue(iterations);
            if (n is < 1 or > 10_000_000) throw new UsageException($"--iterations must be in 1..10000000, not {n}");
            var limit = parse.GetValue(seconds);
            if (limit is <= 0 or > 3600) throw new UsageException($"--time-limit must be in (0, 3600] seconds, not {limit}");
            var model = ModelCatalog.Load(parse.GetValue(machine) ?? scenario.DefaultMachine);
            var coreCount = parse.GetValue(cores) ?? scenario.DefaultCores;
            if (coreCount < 1 || coreCount > model.CoreCount) throw new UsageException($"--cores must be in 1..{model.CoreCount}, not {coreCount}");
            var report = HostStress.Run(scenario, v, model, coreCount, n, new HostThreadsOptions { TimeLimit = TimeSpan.FromSeconds(limit) }, Progress.ToStderr);
            Progress.Done();
            Console.Out.WriteLine($"stress {report.Scenario} ({report.Variant}) on {model.Name}, {coreCount} cores as host threads: {report.Iterations} runs, {report.Ended} ended ({string.Join(", ", report.Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} {o.Key.ToString().ToLowerInvariant()}"))})");
            if (report.Placement is { } p) Console.Out.WriteLine(p.Pinned ? $"threads pinned to host CPUs {string.Join(", ", p.Cpus)}{(p.Note.Length > 0 ? "; " + p.Note : "")}" : $"threads not pinned: {p.Note}");
            if (report.FirstUnendedReport is { } u) Console.Out.WriteLine($"not ended: {u}");
            if (report.Violation is { } violation)
            {
                Console.Out.WriteLine($"VIOLATION in run {report.ViolationIteration}: {violation}");
                return ExitCodes.Failure;
            }
            Console.Out.WriteLine(report.Clean ? "clean: no violation" : "no violation, but some runs did not end");
            return report.Clean ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
