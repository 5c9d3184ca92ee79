using System.CommandLine;
using MkVerified.Experiments;
using MkVerified.Hardware;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk calibrate</c>: fits a paper machine's free parameters to Table 2 and writes the fitted model.</summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var machine = CommonOptions.Machine();
        var free = new Option<string>("--free") { Description = $"comma-separated parameters to fit (of: {string.Join(", ", ModelFit.Parameters)})", Required = true };
        var restarts = new Option<int>("--restarts") { Description = "seeded random restarts after the first descent", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "seed of the restarts", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out", "-o") { Description = "write the fitted model here (default: only print the fit)" };
        var command = new Command("calibrate", "fit a paper machine's parameters to Table 2's URPC latency and throughput (spec/calibration.md)") { machine, free, restarts, seed, output };
        command.SetAction(parse =>
        {
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var names = parse.GetValue(free)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var n in names)
                if (!ModelFit.Parameters.Contains(n)) throw new UsageException($"--free: '{n}' is not a fittable parameter; fittable: {string.Join(", ", ModelFit.Parameters)}");
            if (!CalibrationTargets.Table2.Any(t => t.Machine == model.Name)) throw new UsageException($"--machine: Table 2 has no figures for '{model.Name}'");
            var r = parse.GetValue(restarts);
            if (r is < 0 or > 1000) throw new UsageException($"--restarts must be in [0, 1000], not {r}");
            var target = parse.GetValue(output);
            if (target is not null && Directory.Exists(target)) throw new UsageException($"--out: {target} is a directory");
            var fit = ModelFit.Run(model, names, r, parse.GetValue(seed), Progress.ToStderr);
            foreach (var name in names) Console.Out.WriteLine($"{name} = {ModelFit.ValueOf(fit.Model, name)}");
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
