using System.CommandLine;
using System.Diagnostics;
using MkVerified.Experiments;
using MkVerified.Experiments.Output;
using MkVerified.Hardware;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk run</c>: the main job. Runs every experiment on a machine and writes tables, JSON, SVG and report.md.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var machine = CommonOptions.Machine();
        var output = CommonOptions.Out("directory for the results (default: out/run-MACHINE)");
        var command = new Command("run", "the main job: run every experiment on a machine model and write tables, JSON, SVG plots and report.md")
        {
            machine, output,
        };
        command.SetAction(parse =>
        {
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var dir = OutputPaths.Directory("--out", parse.GetValue(output) ?? Path.Combine("out", "run-" + model.Name));
            var provenance = new Provenance("run", model, null, [new("machine", parse.GetValue(machine)!)]);
            var results = new List<ExperimentResult>();
            var experiments = ExperimentCatalog.All;
            for (var i = 0; i < experiments.Count; i++)
            {
                var e = experiments[i];
                Console.Error.WriteLine($"[{i + 1}/{experiments.Count}] {e.Name}: {e.Description}");
                var watch = Stopwatch.StartNew();
                var result = e.Run(model, Progress.ToStderr) with { Provenance = provenance with { Command = $"run ({e.Name})" } };
                Progress.Done();
                results.Add(result);
                Console.Out.Write(TableWriter.Render(result));
                Console.Out.WriteLine();
                ResultFiles.Write(result, dir);
                Console.Error.WriteLine($"    done in {watch.Elapsed.TotalSeconds:0.0} s");
            }
            var report = Path.Combine(dir, "report.md");
            AtomicFile.Write(report, ReportWriter.Render(model.Name, model.Description, results,
                [$"machine model: {model.Name} ({model.CoreCount} cores, {model.ClockGHz} GHz)", "all figures are modeled cycles from the machine model's parameters; see spec/ for the model"], provenance));
            Console.Error.WriteLine($"wrote {report} and the tables, JSON and SVG plots beside it");
            return ExitCodes.Ok;
        });
        return command;
    }
}
