using MkVerified.Hardware;

namespace MkVerified.Experiments.Host;

/// <summary>
/// The model's predictions checked on the host: each experiment with a host form runs on the threads backend
/// (measured) and on the emulator with the same calibrated model (predicted); every column both give is compared.
/// </summary>
public static class HostValidation
{
    public sealed record Row(string Experiment, string RowName, string Column, double Measured, double Predicted)
    {
        public double ErrorPercent => Measured == 0 ? 0 : 100.0 * (Predicted - Measured) / Measured;
    }

    public static IReadOnlyList<Row> Run(MachineModel model, HostRunSettings settings, Action<string>? progress = null)
    {
        var rows = new List<Row>();
        foreach (var experiment in ExperimentCatalog.All.OfType<IHostExperiment>())
        {
            progress?.Invoke($"validate-host: {experiment.Name} on host threads");
            var measured = experiment.RunOnHost(model, settings, progress);
            progress?.Invoke($"validate-host: {experiment.Name} on the emulator");
            var predicted = experiment.Run(model, progress);
            foreach (var m in measured.Rows)
            {
                // A row is identified by its text and integer fields that the emulator's rows have too (path, from, to; protocol, cores).
                var key = m.Fields.Where(f => f.Value is string or long && predicted.Rows.Any(p => p.Has(f.Key))).ToList();
                if (predicted.Rows.FirstOrDefault(p => key.All(k => p.Has(k.Key) && Equals(p[k.Key], k.Value))) is not { } p) continue;
                var name = string.Join(" ", key.Select(k => k.Value is long l ? $"{k.Key} {l}" : (string)k.Value));
                foreach (var column in measured.Measured)
                    if (m.Has(column) && p.Has(column))
                        rows.Add(new Row(experiment.Name, $"{name} {column}", column, Convert.ToDouble(m[column], System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(p[column], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return rows;
    }
}
