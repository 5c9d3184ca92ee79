using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using MkVerified.Experiments.Host;
using MkVerified.Hardware;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk validate-host</c>: the calibrated host model's predictions (emulator) against the host's threads (measured).</summary>
public static class ValidateHostCommand
{
    public static Command Create()
    {
        var machine = new Option<string>("--machine", "-m") { Description = "the calibrated host model (mk models host, then mk calibrate)", Required = true };
        var format = CommonOptions.Format();
        var repeats = CommonOptions.Repeats();
        var command = new Command("validate-host", "run the experiments that have a host form on the threads backend and on the emulator with a calibrated host model; print experiment / row / measured / predicted / error")
        {
            machine, format, repeats,
        };
        command.SetAction(parse =>
        {
            var fmt = CommonOptions.CheckFormat(parse.GetValue(format)!);
            var settings = CommonOptions.HostSettings(parse.GetValue(repeats));
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var hostCpus = MkVerified.Runtime.Host.CpuAffinity.Allowed().Count;
            if (model.CoreCount > hostCpus) throw new UsageException($"--machine: '{model.Name}' has {model.CoreCount} cores but this host runs {hostCpus} CPUs; validate a model written by 'mk models host'");
            var rows = HostValidation.Run(model, settings, Progress.ToStderr);
            Progress.Done();
            Console.Out.Write(fmt == "json" ? Json(rows) : Table(rows));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Table(IReadOnlyList<HostValidation.Row> rows)
    {
        var lines = new List<string> { FormattableString.Invariant($"{"experiment",-12} {"row",-40} {"measured",12} {"predicted",12} {"error",8}") };
        lines.AddRange(rows.Select(r => FormattableString.Invariant($"{r.Experiment,-12} {r.RowName,-40} {r.Measured,12:0.###} {r.Predicted,12:0.###} {r.ErrorPercent,7:0.0}%")));
        return string.Join("\n", lines) + "\n";
    }

    private static string Json(IReadOnlyList<HostValidation.Row> rows)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("experiment", r.Experiment);
                w.WriteString("row", r.RowName);
                w.WriteNumber("measured", Math.Round(r.Measured, 3));
                w.WriteNumber("predicted", Math.Round(r.Predicted, 3));
                w.WriteNumber("errorPercent", Math.Round(r.ErrorPercent, 1));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
