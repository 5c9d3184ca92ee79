using MkVerified.Hardware;
using MkVerified.Kernel.Skb;
using MkVerified.Protocols.Agreement;
using MkVerified.Runtime;

namespace MkVerified.Experiments;

/// <summary>
/// Runs agreements from core 0 over cores 0..N-1 and measures them: on the cycle emulator (every cycle from URPC and
/// memory) or, given a <c>machine</c> that builds a host-threads run, in real time without the ledger's ghost checks.
/// </summary>
public static class TwoPhaseCommitBenchmarks
{
    // Agreements run one at a time before measuring: each carries two messages per tree edge and direction, so 20 of
    // them take every 32-slot ring round once and no measured poll misses to a never-used slot line in memory.
    private const int Warmup = 20;
    private const int Measured = 8;

    /// <summary>Cycles from the coordinator starting one agreement to its having every ack: the mean of 8 agreements run one at a time, after a warm-up.</summary>
    public static double SingleLatency(Topology topology, int cores, TreeKind kind, Func<Topology, Emulation>? machine = null)
    {
        var results = Run(topology, cores, kind, agreements: Warmup + Measured, window: 1, machine);
        return results.Skip(Warmup).Average(r => (double)r.LatencyCycles);
    }

    /// <summary>
    /// <paramref name="agreements"/> agreements on distinct objects with up to <paramref name="window"/> in flight:
    /// mean latency of one agreement and agreements completed per 1000 cycles (first start to last end).
    /// </summary>
    public static (double LatencyCycles, double OpsPerKcycle) Pipelined(Topology topology, int cores, TreeKind kind, int agreements, int window, Func<Topology, Emulation>? machine = null)
    {
        var results = Run(topology, cores, kind, agreements, window, machine);
        var span = results.Max(r => r.EndCycle) - results.Min(r => r.StartCycle);
        return (results.Average(r => (double)r.LatencyCycles), 1000.0 * results.Count / span);
    }

    private static IReadOnlyList<AgreementResult> Run(Topology topology, int cores, TreeKind kind, int agreements, int window, Func<Topology, Emulation>? machine)
    {
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        // The ledger's checks cost real time on host threads, so a timed host run goes without them (as the URPC benchmarks do).
        var system = new AgreementSystem(emulation, check: machine is null);
        var participants = Enumerable.Range(0, cores).ToList();
        var specs = Enumerable.Range(0, agreements)
            .Select(i => new AgreementSpec(AgreementSpec.InstanceId(0, i), i + 1, 0, kind, participants)).ToList();
        system.AddWorkload(0, specs, window);
        system.Start();
        var outcome = emulation.Run();
        if (!outcome.Ended) throw new InvalidOperationException($"2pc on {cores} cores ({TreeKinds.Name(kind)}) did not end: {outcome.Report}");
        system.Ledger?.CheckAllEnded();
        var results = system.Results;
        if (results.Count != agreements || results.Any(r => !r.Committed))
            throw new InvalidOperationException($"2pc on {cores} cores ({TreeKinds.Name(kind)}): expected {agreements} commits, got {results.Count(r => r.Committed)}");
        return results;
    }
}
