using System.CommandLine;
using MkVerified.Experiments;
using MkVerified.Experiments.Host;
using MkVerified.Hardware;

namespace MkVerified.Cli.Commands;

/// <summary>
/// <c>mk calibrate</c>: fits a paper machine's free parameters to Table 2, or any other model's (a host model from
/// <c>mk models host</c>) to URPC figures measured on this host's threads, and writes the fitted model.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var machine = CommonOptions.Machine();
        var free = new Option<string>("--free") { Description = $"comma-separated parameters to fit (of: {string.Join(", ", ModelFit.Parameters)})", };
        var restarts = new Option<int>("--restarts") { Description = "seeded random restarts after the first descent", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "seed of the restarts", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out", "-o") { Description = "write the fitted model here (default: only print the fit)" };
        var repeats = CommonOptions.Repeats();
        var command = new Command("calibrate", "fit a paper machine's parameters to Table 2's URPC latency and throughput, or another model's (mk models host) to URPC measured on this host's threads (spec/calibration.md)") { machine, free, restarts, seed, output, repeats };
        command.SetAction(parse =>
        {
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var names = parse.GetValue(free)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var n in names ?? [])
                if (!ModelFit.Parameters.Contains(n)) throw new UsageException($"--free: '{n}' is not a fittable parameter; fittable: {string.Join(", ", ModelFit.Parameters)}");
            var paper = CalibrationTargets.Table2.Any(t => t.Machine == model.Name);
            var hostCpus = MkVerified.Runtime.Host.CpuAffinity.Allowed().Count;
            if (!paper && model.CoreCount > hostCpus)
                throw new UsageException($"--machine: Table 2 has no figures for '{model.Name}' and its {model.CoreCount} cores do not fit this host's {hostCpus} CPUs (calibrate a model written by 'mk models host')");
            if (paper && names is null) throw new UsageException($"--free is required for a paper machine ('{model.Name}'); fittable: {string.Join(", ", ModelFit.Parameters)}");
            var r = parse.GetValue(restarts);
            if (r is < 0 or > 1000) throw new UsageException($"--restarts must be in [0, 1000], not {r}");
            var settings = CommonOptions.HostSettings(parse.GetValue(repeats));
            var target = parse.GetValue(output);
            if (target is not null && Directory.Exists(target)) throw new UsageException($"--out: {target} is a directory");
            ModelFit.Fit fit;
            if (paper) fit = ModelFit.Run(model, names!, r, parse.GetValue(seed), Progress.ToStderr);
            else
            {
                // Not a machine of Table 2: its figures are measured here, on the host's threads (the model should be this host's).
                var host = HostCalibration.Run(model, names, settings, Progress.ToStderr);
                Progress.Done();
                foreach (var note in host.Notes) Console.Error.WriteLine($"note: {note}");
                foreach (var t in host.Measured)
                    Console.Out.WriteLine(FormattableString.Invariant($"measured {t.Path,-10} latency {t.LatencyCycles,7} cycles  throughput {t.ThroughputMsgsPerKcycle,8:F3} per kcycle"));
                fit = host.Fit;
                names = [.. host.Free];
            }
            foreach (var name in names!) Console.Out.WriteLine($"{name} = {ModelFit.ValueOf(fit.Model, name)}");
            foreach (var row in fit.Rows)
                Console.Out.WriteLine(FormattableString.Invariant($"{row.Path,-10} latency {row.Latency,7:F1} ({row.LatencyError,5:F1}%)  throughput {row.Throughput,6:F2} ({row.ThroughputError,5:F1}%)"));
            if (target is not null)
            {
                var temporary = target + ".tmp";
                File.WriteAllText(temporary, ModelWriter.ToJson(fit.Model));
                File.Move(temporary, target, overwrite: true);
                Console.Error.WriteLine($"wrote {target}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
