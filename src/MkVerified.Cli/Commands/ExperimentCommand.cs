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
        var name = new Argument<string?>("name") { Description = $"experiment: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))}", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "list the experiments with what each measures (--format json for a JSON array)" };
        var machine = CommonOptions.Machine();
        var format = CommonOptions.Format();
        var output = CommonOptions.Out("also write NAME.csv, NAME.json and NAME.svg into this directory");
        var backend = CommonOptions.Backend();
        var repeats = CommonOptions.Repeats();
        var command = new Command("experiment", "run one experiment on a machine model and print its table")
        {
            name, list, machine, format, output, backend, repeats,
        };
        command.SetAction(parse =>
        {
            var fmt = CommonOptions.CheckFormat(parse.GetValue(format)!);
            if (parse.GetValue(list))
            {
                Console.Out.Write(fmt == "json" ? ListJson() : ListText());
                return ExitCodes.Ok;
            }
            var experimentName = parse.GetValue(name) ?? throw new UsageException("experiment needs a NAME (or --list)");
            var experiment = ExperimentCatalog.Find(experimentName)
                ?? throw new UsageException($"unknown experiment '{experimentName}'; known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))}");
            var onHost = CommonOptions.CheckBackend(parse.GetValue(backend)!) == "threads";
            var host = onHost ? CommonOptions.HostExperiment(experiment) : null;
            var settings = CommonOptions.HostSettings(parse.GetValue(repeats));
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var dir = parse.GetValue(output) is { } o ? OutputPaths.Directory("--out", o) : null;
            var result = (host is null ? experiment.Run(model, Progress.ToStderr) : host.RunOnHost(model, settings, Progress.ToStderr)) with
            {
                Provenance = new Provenance($"experiment {experiment.Name}", model, null,
                    onHost ? [new("machine", parse.GetValue(machine)!), new("backend", "threads"), new("repeats", settings.Repeats.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [new("machine", parse.GetValue(machine)!)]),
            };
            Progress.Done();
            Console.Out.Write(fmt == "json" ? JsonResultWriter.Render(result) : TableWriter.Render(result));
            if (dir is not null)
                foreach (var file in ResultFiles.Write(result, dir)) Console.Error.WriteLine($"wrote {file}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string ListText()
    {
        var width = ExperimentCatalog.All.Max(e => e.Name.Length);
        return string.Concat(ExperimentCatalog.All.Select(e => $"{e.Name.PadRight(width)}  {e.Description}\n"));
    }

    private static string ListJson()
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var e in ExperimentCatalog.All)
            {
                w.WriteStartObject();
                w.WriteString("name", e.Name);
                w.WriteString("description", e.Description);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
