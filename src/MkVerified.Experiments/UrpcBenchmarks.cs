using MkVerified.Hardware;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Experiments;

/// <summary>The two URPC microbenchmarks of the paper, as workloads on the emulator.</summary>
public static class UrpcBenchmarks
{
    /// <summary>One-way latency: half the mean round trip of a ping-pong between two cores, after a warm-up.</summary>
    /// <remarks><paramref name="machine"/> builds the run (default: the emulator); on host threads clocks read real time in nominal cycles.</remarks>
    public static double OneWayLatency(Topology topology, int from, int to, int rounds = 200, int warmup = 64, UrpcOptions? options = null, Func<Topology, Emulation>? machine = null)
    {
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        var channel = new UrpcChannel(emulation, from, to, options);
        long start = 0, end = 0;
        emulation.Start(from, async ctx =>
        {
            for (var i = 0; i < warmup + rounds; i++)
            {
                if (i == warmup) start = ctx.Clock;
                await channel.A.SendAsync(ctx, new UrpcMessage(1, i, 0, 0, 0, 0, 0, 0));
                await channel.A.ReceiveAsync(ctx);
            }
            end = ctx.Clock;
        });
        emulation.Start(to, async ctx =>
        {
            for (var i = 0; i < warmup + rounds; i++)
            {
                var m = await channel.B.ReceiveAsync(ctx);
                await channel.B.SendAsync(ctx, m);
            }
        });
        Expect(emulation.Run(), "URPC latency");
        return (end - start) / (2.0 * rounds);
    }

    /// <summary>Pipelined throughput: messages per 1000 cycles when the sender streams as fast as credits allow.</summary>
    public static double Throughput(Topology topology, int from, int to, int messages = 2000, int warmup = 200, UrpcOptions? options = null, Func<Topology, Emulation>? machine = null)
    {
        var emulation = machine?.Invoke(topology) ?? new Emulation(topology);
        var channel = new UrpcChannel(emulation, from, to, options);
        long start = 0, end = 0;
        emulation.Start(from, async ctx =>
        {
            for (var i = 0; i < warmup + messages; i++)
                await channel.A.SendAsync(ctx, new UrpcMessage(1, i, 0, 0, 0, 0, 0, 0));
        });
        emulation.Start(to, async ctx =>
        {
            for (var i = 0; i < warmup + messages; i++)
            {
                await channel.B.ReceiveAsync(ctx);
                if (i == warmup - 1) start = ctx.Clock;
            }
            end = ctx.Clock;
        });
        Expect(emulation.Run(), "URPC throughput");
        return messages * 1000.0 / (end - start);
    }

    internal static void Expect(RunOutcome outcome, string what)
    {
        if (outcome.Status != RunStatus.Completed)
            throw new InvalidOperationException($"{what} did not complete: {outcome.Status} {outcome.Report}");
    }
}
