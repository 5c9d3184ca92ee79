using System.CommandLine;
using MkVerified.Experiments;
using MkVerified.Experiments.Output;
using MkVerified.Hardware;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk experiment NAME</c>: runs one experiment, prints a table (or JSON), optionally writes CSV/JSON/SVG.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = $"experiment: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))}" };
        var machine = CommonOptions.Machine();
        var format = CommonOptions.Format();
        var output = CommonOptions.Out("also write NAME.csv, NAME.json and NAME.svg into this directory");
        var command = new Command("experiment", "run one experiment on a machine model and print its table")
        {
            name, machine, format, output,
        };
        command.SetAction(parse =>
        {
            var experimentName = parse.GetValue(name)!;
            var experiment = ExperimentCatalog.Find(experimentName)
                ?? throw new UsageException($"unknown experiment '{experimentName}'; known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))}");
            var fmt = CommonOptions.CheckFormat(parse.GetValue(format)!);
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var dir = parse.GetValue(output) is { } o ? OutputPaths.Directory("--out", o) : null;
            var result = experiment.Run(model, Progress.ToStderr) with
            {
                Provenance = new Provenance($"experiment {experiment.Name}", model, null, [new("machine", parse.GetValue(machine)!)]),
            };
            Progress.Done();
            Console.Out.Write(fmt == "json" ? JsonResultWriter.Render(result) : TableWriter.Render(result));
            if (dir is not null)
                foreach (var file in ResultFiles.Write(result, dir)) Console.Error.WriteLine($"wrote {file}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
