using MkVerified.Kernel.Caps;
using MkVerified.Protocols.Capabilities;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>One operation a core of a race issues; Retry answers are retried a few times, as an application would.</summary>
public delegate CoreTask<CapResult> CapsOperation(CapsService service, CoreContext ctx);

/// <summary>A race of PROTOCOLS.md §3: the capabilities placed before the run, the operations each core issues at once, and the race's own check.</summary>
public sealed record CapsRace(
    string Name,
    string Description,
    string Variant,
    Func<CapsRig, IReadOnlyDictionary<int, CapsOperation[]>> Setup,
    Action<CapsRig, IReadOnlyDictionary<int, List<CapResult>>> Check);

/// <summary>
/// A capability race as a checkable scenario on cores 0..3: the ghost checks ownership and the remote-relation bits
/// after every scheduling step, the retype, revoke and cleanup guarantees when they happen, and locks, lost RAM
/// and the race's outcome at the end.
/// </summary>
public sealed class CapsScenario(CapsRace race) : IScenario, IScenarioCoverage
{
    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) => CoverageMachine.From(Protocols.Capabilities.CapsMachines.Infos());

    private const int Retries = 8;
    private const int BackoffCycles = 2000;

    public string Name => "caps-" + race.Name;
    public string Description => race.Description;
    public IReadOnlyList<ScenarioVariant> Variants { get; } =
        [new ScenarioVariant(race.Variant, CapsVariants.All.First(v => v.Name == race.Variant).Breaks)];
    public string DefaultMachine => "amd-4x4";
    public int DefaultCores => 4;

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        var rig = new CapsRig(cores);
        var operations = race.Setup(rig);
        var services = rig.Services(emulation, CapsVariants.Parse(variant));
        var results = Enumerable.Range(0, cores).ToDictionary(c => c, _ => new List<CapResult>());
        emulation.AfterStep = rig.Ghost.CheckStep;
        for (var core = 0; core < cores; core++)
        {
            var service = services[core];
            var mine = operations.GetValueOrDefault(core) ?? [];
            var log = results[core];
            emulation.Start(core, async ctx =>
            {
                foreach (var operation in mine)
                {
                    var result = CapResult.Retry;
                    for (var attempt = 0; attempt < Retries && result == CapResult.Retry; attempt++)
                    {
                        if (attempt > 0)
                        {
                            ctx.Compute(BackoffCycles); // back off, serving the others meanwhile
                            await service.ServeOnceAsync(ctx);
                        }
                        result = await operation(service, ctx);
                    }
                    log.Add(result);
                }
                await service.ServeAsync(ctx);
            });
        }
        var outcome = emulation.Run(maxSteps: 400_000);
        if (outcome.Ended)
        {
            rig.Ghost.CheckEnd();
            race.Check(rig, results);
        }
        return outcome;
    }
}
