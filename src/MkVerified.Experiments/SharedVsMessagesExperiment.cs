using MkVerified.Experiments.Host;
using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Experiments;

/// <summary>
/// The paper's Figure 3: N cores update K shared cache lines directly (lines bounce between caches and queue
/// for ownership), versus sending each update over URPC to one server core that applies it to lines it keeps
/// in its own cache. Nothing here adds cycles: every cost comes from the coherence model and the channel.
/// </summary>
public sealed class SharedVsMessagesExperiment : IHostExperiment
{
    private const int UpdatesPerClient = 64;
    private static readonly int[] LineCounts = [1, 2, 4, 8];

    public string Name => "shared-vs-messages";
    public string Description => "cycles per update of 1..8 shared lines from 1..16 cores: shared memory vs a URPC server (the paper's Figure 3)";

    public ExperimentResult Run(MachineModel model, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var maxCores = Math.Min(16, topology.CoreCount);
        var rows = new List<ResultRow>();
        foreach (var lines in LineCounts)
        {
            progress?.Invoke($"shared-vs-messages: {lines} line(s)");
            for (var n = 1; n <= maxCores; n++)
                rows.Add(new ResultRow().Add("method", "shared").Add("lines", (long)lines).Add("cores", (long)n).Add("cyclesPerUpdate", Math.Round(Shared(topology, n, lines), 1)));
            // The server needs a core of its own, so at most CoreCount-1 clients.
            for (var n = 1; n <= Math.Min(maxCores, topology.CoreCount - 1); n++)
            {
                var (server, client) = Messages(topology, n, lines);
                rows.Add(new ResultRow().Add("method", "message").Add("lines", (long)lines).Add("cores", (long)n)
                    .Add("cyclesPerUpdate", Math.Round(server, 1)).Add("clientLatencyCycles", Math.Round(client, 1)));
            }
        }
        var notes = new List<string>
        {
            $"Each client performs {UpdatesPerClient} updates; an update is an atomic add to each of the K lines (one exclusive fetch per line, as x86 'lock add').",
            "shared: cores 0..N-1 update the lines directly; cyclesPerUpdate is a client's mean cycles per update.",
            $"message: clients on cores 0..N-1 send each update to a server on core {topology.CoreCount - 1}; cyclesPerUpdate is the server's busy cycles per applied update, clientLatencyCycles a client's mean round trip.",
        };
        var plots = new List<PlotSpec>
        {
            new("Cycles per update: shared memory vs message to a server", "cores", ["cyclesPerUpdate"], "cores", "cycles per update",
                SeriesOf: r => $"{r["method"]} {r["lines"]} line{((long)r["lines"] == 1 ? "" : "s")}"),
            new("Client round trip to the server (message)", "cores", ["clientLatencyCycles"], "client cores", "cycles",
                SeriesOf: r => $"{r["lines"]} line{((long)r["lines"] == 1 ? "" : "s")}", Include: r => (string)r["method"] == "message") { FileSuffix = "-client-latency" },
        };
        return new ExperimentResult(Name, model.Name, rows, plots, notes) { Predicted = ["cyclesPerUpdate", "clientLatencyCycles"] };
    }

    /// <summary>
    /// Both methods on the host's cores, for every core count whose cores (clients, and the server for messages) each
    /// have a host CPU of their own: the median over repeated runs of each figure, in nominal cycles. Atomic adds are
    /// the host's own locked instructions; the server's busy time is its time outside its waits.
    /// </summary>
    public ExperimentResult RunOnHost(MachineModel model, HostRunSettings settings, Action<string>? progress = null)
    {
        var topology = new Topology(model);
        var serverCore = topology.CoreCount - 1;
        var maxCores = Math.Min(16, topology.CoreCount);
        bool OwnCpus(IEnumerable<int> cores) { var cpus = cores.Select(settings.CpuOf).ToList(); return cpus.Distinct().Count() == cpus.Count; }
        var rows = new List<ResultRow>();
        foreach (var lines in LineCounts)
        {
            progress?.Invoke($"shared-vs-messages on host threads: {lines} line(s)");
            for (var n = 1; n <= maxCores && OwnCpus(Enumerable.Range(0, n)); n++)
            {
                var shared = Sample.Of(settings.Repeats, () => Shared(topology, n, lines, settings.NewRun));
                rows.Add(new ResultRow().Add("method", "shared").Add("lines", (long)lines).Add("cores", (long)n)
                    .Add("cyclesPerUpdate", Math.Round(shared.Median, 1)).Add("cyclesPerUpdateSpreadPercent", Math.Round(shared.SpreadPercent, 1)));
            }
            for (var n = 1; n <= Math.Min(maxCores, serverCore) && OwnCpus(Enumerable.Range(0, n).Append(serverCore)); n++)
            {
                var (server, client) = Sample.OfPairs(settings.Repeats, () => Messages(topology, n, lines, settings.NewRun));
                rows.Add(new ResultRow().Add("method", "message").Add("lines", (long)lines).Add("cores", (long)n)
                    .Add("cyclesPerUpdate", Math.Round(server.Median, 1)).Add("cyclesPerUpdateSpreadPercent", Math.Round(server.SpreadPercent, 1))
                    .Add("clientLatencyCycles", Math.Round(client.Median, 1)).Add("clientLatencySpreadPercent", Math.Round(client.SpreadPercent, 1)));
            }
        }
        var notes = new List<string>
        {
            $"Measured on host threads (core i on the i-th host CPU; only core counts where every core used has a CPU of its own): median of {settings.Repeats} runs after one warm-up run; spread = (max - min) / median.",
            $"Each client performs {UpdatesPerClient} updates; an update is the host's atomic add to each of the K lines. message: the server is core {serverCore}; its busy time excludes its waits for requests.",
        };
        var plots = new List<PlotSpec>
        {
            new("Cycles per update on host threads: shared memory vs message to a server", "cores", ["cyclesPerUpdate"], "cores", "cycles per update",
                SeriesOf: r => $"{r["method"]} {r["lines"]} line{((long)r["lines"] == 1 ? "" : "s")}"),
        };
        return new ExperimentResult(Name, model.Name, rows, plots, notes) { Measured = ["cyclesPerUpdate", "clientLatencyCycles"] };
    }

    /// <summary>Mean cycles per update when <paramref name="cores"/> cores update <paramref name="lines"/> shared lines directly.</summary>
    /// <remarks><paramref name="machine"/> builds the run (default: the emulator; the threads backend times it in real time).</remarks>
    public static double Shared(Topology topology, int cores, int lines, Func<Topology, Emulation>? machine = null)
    {
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        var data = emulation.Memory.Allocate(lines * SharedMemory.WordsPerLine, homePackage: 0);
        long totalCycles = 0;
        for (var c = 0; c < cores; c++)
        {
            emulation.Start(c, async ctx =>
            {
                var start = ctx.Clock;
                for (var u = 0; u < UpdatesPerClient; u++)
                {
                    for (var l = 0; l < lines; l++)
                    {
                        var address = data + l * SharedMemory.WordsPerLine;
                        await ctx.AtomicAdd(address, 1);
                    }
                }
                Interlocked.Add(ref totalCycles, ctx.Clock - start); // cores are threads on the host backend
            });
        }
        UrpcBenchmarks.Expect(emulation.Run(), "shared-memory updates");
        var expected = (long)cores * UpdatesPerClient;
        if (emulation.Memory.Peek(data) != expected) throw new InvalidOperationException($"lost updates: {emulation.Memory.Peek(data)} of {expected}");
        return totalCycles / (double)(cores * UpdatesPerClient);
    }

    /// <summary>Server busy cycles per applied update, and a client's mean round trip, with <paramref name="clients"/> clients.</summary>
    public static (double ServerCyclesPerUpdate, double ClientLatency) Messages(Topology topology, int clients, int lines, Func<Topology, Emulation>? machine = null)
    {
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        var serverCore = topology.CoreCount - 1;
        var channels = new UrpcChannel[clients];
        for (var c = 0; c < clients; c++) channels[c] = new UrpcChannel(emulation, c, serverCore);
        var data = emulation.Memory.Allocate(lines * SharedMemory.WordsPerLine, topology.PackageOf(serverCore));
        long clientCycles = 0;
        for (var c = 0; c < clients; c++)
        {
            var endpoint = channels[c].A;
            emulation.Start(c, async ctx =>
            {
                var start = ctx.Clock;
                for (var u = 0; u < UpdatesPerClient; u++)
                {
                    await endpoint.SendAsync(ctx, new UrpcMessage(1, u, 0, 0, 0, 0, 0, 0));
                    await endpoint.ReceiveAsync(ctx);
                }
                Interlocked.Add(ref clientCycles, ctx.Clock - start);
            });
        }
        long busy = 0;
        emulation.Start(serverCore, async ctx =>
        {
            var remaining = clients * UpdatesPerClient;
            var waitLines = new int[clients];
            var start = ctx.Clock;
            long waited = 0; // the server's own clock around its waits: busy = the rest (the same on both backends)
            while (remaining > 0)
            {
                var stamp = ctx.PollStamp;
                var served = false;
                for (var c = 0; c < clients; c++)
                {
                    var endpoint = channels[c].B;
                    if (!await endpoint.PollAsync(ctx) && endpoint.Pending == 0) continue;
                    while (endpoint.TryTake(ctx, out var request))
                    {
                        for (var l = 0; l < lines; l++)
                        {
                            var address = data + l * SharedMemory.WordsPerLine;
                            await ctx.AtomicAdd(address, 1);
                        }
                        await endpoint.SendAsync(ctx, request);
                        remaining--;
                        served = true;
                    }
                }
                if (served || remaining == 0) continue;
                for (var c = 0; c < clients; c++) waitLines[c] = channels[c].B.IncomingLine;
                var waitStart = ctx.Clock;
                await ctx.WaitForAnyWrite(waitLines, idle: false, "a request", stamp);
                waited += ctx.Clock - waitStart;
            }
            busy = ctx.Clock - start - waited;
        });
        UrpcBenchmarks.Expect(emulation.Run(), "message-based updates");
        return (busy / (double)(clients * UpdatesPerClient), clientCycles / (double)(clients * UpdatesPerClient));
    }
}
