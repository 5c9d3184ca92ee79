using MkVerified.Hardware;

namespace MkVerified.Experiments.Host;

/// <summary>
/// Calibrates a host model (<c>mk models host</c>) on the host itself: URPC latency and throughput are measured on the
/// threads backend for every path class the host has, and the model's parameters are fitted to those figures exactly as
/// a paper machine's are fitted to Table 2 (<see cref="ModelFit"/>): the measured figures take Table 2's place.
/// </summary>
public static class HostCalibration
{
    public sealed record Result(ModelFit.Fit Fit, IReadOnlyList<CalibrationTargets.Target> Measured, IReadOnlyList<string> Free, IReadOnlyList<string> Notes);

    /// <summary>The transfer parameter of each path class present, plus the send and receive paths' local costs.</summary>
    public static IReadOnlyList<string> DefaultFree(Topology topology, IEnumerable<PathClass> paths)
    {
        var free = new List<string>();
        foreach (var kind in paths.Select(p => p.Kind).Distinct().Order())
        {
            var name = kind switch
            {
                PathKind.SharedCache => "sharedCacheTransfer",
                PathKind.SameDie => "sameDieTransfer",
                PathKind.CrossDie => "crossDieTransfer",
                PathKind.Hops => "linkLatency",
                _ => null,
            };
            if (name is not null) free.Add(name);
        }
        free.Add("messageSend");
        free.Add("messageReceive");
        return free;
    }

    /// <summary>URPC latency (cycles of the model's clock) and throughput (per 1000 cycles) of every path class that maps to two host CPUs.</summary>
    public static IReadOnlyList<CalibrationTargets.Target> MeasureTargets(MachineModel model, HostRunSettings settings, List<string> notes, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var targets = new List<CalibrationTargets.Target>();
        foreach (var (path, core) in topology.RepresentativePaths(0))
        {
            if (settings.CpuOf(0) == settings.CpuOf(core))
            {
                notes.Add($"{path.Name}: cores 0 and {core} map to the same host CPU; not measured");
                continue;
            }
            progress?.Invoke($"calibrate: measuring URPC 0 -> {core} ({path.Name}) on host threads");
            var (latency, throughput) = UrpcExperiment.MeasureOnHost(topology, 0, core, settings, out var placement);
            notes.Add($"{path.Name}: latency {latency.Median:F0} cycles (spread {latency.SpreadPercent:F0}%), throughput {throughput.Median:F3}/kcycle (spread {throughput.SpreadPercent:F0}%); {placement}");
            targets.Add(new CalibrationTargets.Target(model.Name, path.Name, (int)Math.Round(latency.Median), throughput.Median));
        }
        return targets;
    }

    public static Result Run(MachineModel model, IReadOnlyList<string>? free, HostRunSettings settings, Action<string>? progress = null)
    {
        var notes = new List<string>();
        var targets = MeasureTargets(model, settings, notes, progress);
        if (targets.Count == 0) throw new InvalidOperationException($"no path of '{model.Name}' maps to two different host CPUs: calibration needs at least two");
        var topology = new Topology(model);
        free ??= DefaultFree(topology, topology.RepresentativePaths(0).Where(p => targets.Any(t => t.Path == p.Path.Name)).Select(p => p.Path));
        // Host figures may sit far from the base model's: start the descent at a step near the largest latency.
        var top = 1;
        while (top * 4 <= targets.Max(t => t.LatencyCycles)) top *= 2;
        var steps = Enumerable.Range(0, 31).Select(i => top >> i).TakeWhile(s => s >= 1).ToArray();
        progress?.Invoke($"calibrate: fitting {string.Join(", ", free)}");
        var fit = ModelFit.Run(model, free, restarts: 0, seed: 1, progress, targets, steps);
        var calibrated = fit.Model with { Description = $"{model.Description.Replace(", to be calibrated (mk calibrate)", "", StringComparison.Ordinal)}; calibrated on this host ({string.Join(", ", targets.Select(t => $"{t.Path} {t.LatencyCycles} cycles"))})" };
        return new Result(fit with { Model = calibrated }, targets, free, notes);
    }
}
