using System.Diagnostics;
using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Experiments;

/// <summary>
/// Wall-clock throughput of the emulator itself: modeled memory accesses per second and URPC messages per second,
/// on a 2-core machine and on the 1024-core synthetic model. Figures go into CONTRIBUTING.md; nothing asserts them.
/// </summary>
public static class EmulatorBench
{
    public static IEnumerable<string> RunAll(TimeSpan budget)
    {
        var small = new Topology(ModelCatalog.Load("amd-2x2"));
        var large = new Topology(ModelCatalog.Load("synthetic-1024"));
        // Warm up the JIT so the first figure is not penalized.
        Accesses(small, 2, 10_000);
        Messages(small, 1, 1_000);
        yield return Line("memory accesses/s, 2-core stream (amd-2x2)", Measure(budget, n => Accesses(small, 2, n)), "accesses");
        yield return Line("memory accesses/s, 1024 cores (synthetic-1024)", Measure(budget, n => Accesses(large, 1024, n)), "accesses");
        var contended = new Topology(ModelCatalog.Load("amd-4x4"));
        yield return Line("memory accesses/s, 16 cores on 8 shared lines", Measure(budget, n => Contended(contended, 16, 8, n)), "accesses");
        yield return Line("URPC messages/s, 2-core stream (amd-2x2)", Measure(budget, n => Messages(small, 1, n)), "messages");
        yield return Line("URPC messages/s, 512 pairs (synthetic-1024)", Measure(budget, n => Messages(large, 512, n)), "messages");
    }

    private static string Line(string what, (double PerSecond, long Count, double Seconds) m, string unit) =>
        FormattableString.Invariant($"{what,-48} {m.PerSecond,14:N0}   ({m.Count:N0} {unit} in {m.Seconds:0.00} s)");

    /// <summary>Doubles the work until one run takes a quarter of the budget, then reports that run's rate.</summary>
    private static (double, long, double) Measure(TimeSpan budget, Func<int, long> run)
    {
        var n = 1000;
        while (true)
        {
            var watch = Stopwatch.StartNew();
            var count = run(n);
            var seconds = watch.Elapsed.TotalSeconds;
            if (seconds >= budget.TotalSeconds / 4 || n > 1 << 28) return (count / seconds, count, seconds);
            n *= 2;
        }
    }

    /// <summary>Each core streams reads and writes over its own line and, every eighth access, a shared line.</summary>
    public static long Accesses(Topology topology, int cores, int perCore)
    {
        var emulation = new Emulation(topology);
        var shared = emulation.Memory.Allocate(8, 0);
        var own = new long[cores];
        for (var c = 0; c < cores; c++) own[c] = emulation.Memory.Allocate(8, topology.PackageOf(c));
        for (var c = 0; c < cores; c++)
        {
            var line = own[c];
            emulation.Start(c, async ctx =>
            {
                for (var i = 0; i < perCore; i += 8)
                {
                    var v = await ctx.Read(line);
                    await ctx.Write(line, v + 1);
                    await ctx.Read(line + 1);
                    await ctx.Write(line + 1, v);
                    await ctx.Read(line + 2);
                    await ctx.Write(line + 2, v);
                    await ctx.Read(line + 3);
                    await ctx.Write(shared, v);
                }
            });
        }
        Finish(emulation.Run(maxSteps: long.MaxValue), "memory-access stream"); // every body is a finite loop; the bench sizes it by wall clock
        return emulation.Memory.Accesses;
    }

    /// <summary>Every core atomically updates the same <paramref name="lines"/> lines in turn: every access a miss through the interconnect.</summary>
    public static long Contended(Topology topology, int cores, int lines, int perCore)
    {
        var emulation = new Emulation(topology);
        var data = emulation.Memory.Allocate(lines * SharedMemory.WordsPerLine, 0);
        for (var c = 0; c < cores; c++)
        {
            emulation.Start(c, async ctx =>
            {
                for (var i = 0; i < perCore; i++) await ctx.AtomicAdd(data + i % lines * SharedMemory.WordsPerLine, 1);
            });
        }
        emulation.Run();
        return emulation.Memory.Accesses;
    }

    /// <summary>Core 2i streams messages to core 2i+1 for every pair.</summary>
    public static long Messages(Topology topology, int pairs, int perPair)
    {
        var emulation = new Emulation(topology);
        var options = new UrpcOptions { GhostChecks = false };
        for (var p = 0; p < pairs; p++)
        {
            var channel = new UrpcChannel(emulation, 2 * p, 2 * p + 1, options);
            emulation.Start(2 * p, async ctx =>
            {
                for (var i = 0; i < perPair; i++) await channel.A.SendAsync(ctx, new UrpcMessage(1, i, 0, 0, 0, 0, 0, 0));
            });
            emulation.Start(2 * p + 1, async ctx =>
            {
                for (var i = 0; i < perPair; i++) await channel.B.ReceiveAsync(ctx);
            });
        }
        Finish(emulation.Run(maxSteps: long.MaxValue), "URPC stream"); // finite loops, sized by wall clock
        return (long)pairs * perPair;
    }

    private static void Finish(RunOutcome outcome, string what)
    {
        if (outcome.Status != RunStatus.Completed) throw new InvalidOperationException($"bench {what} did not complete: {outcome.Status} {outcome.Report}");
    }
}
