using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Scenarios;

/// <summary>
/// Two cores exchange numbered messages in both directions over one channel with a small ring (so it wraps often and
/// fills up both ways). Checks: every message arrives once, in order, intact (the channel's own shadow checks name
/// the exact guarantee broken), and neither end deadlocks.
/// </summary>
public sealed class UrpcScenario : IScenario, IScenarioCoverage
{
    /// <summary>The channel-end events (see UrpcEndpoint) that stand in for a state machine until URPC gets one.</summary>
    public static IReadOnlyList<string> EndEvents { get; } =
        ["send", "credit-wait", "credit-from-ack-line", "credit-piggybacked", "poll-empty", "recv", "ack"];

    public const int Messages = 10;
    public const int Slots = 4;

    public string Name => "urpc";
    public string Description => "two cores exchange numbered messages both ways over a 4-slot URPC channel (wraps, full rings, credits, acks)";
    public IReadOnlyList<ScenarioVariant> Variants { get; } = UrpcFaults.All.Select(f => new ScenarioVariant(f.Name, f.Breaks)).ToList();
    public string DefaultMachine => "amd-2x2";
    public int DefaultCores => 2;

    // Unbounded, the search did not finish in 10 minutes here; bound 5 completes in about 1.5 minutes (spec/exploration.md).
    public int? DefaultPreemptionBound => 5;

    public static UrpcFault FaultOf(string variant) =>
        variant == IScenario.Correct ? UrpcFault.None
        : UrpcFaults.All.FirstOrDefault(f => f.Name == variant) is { Name: not null } f ? f.Fault
        : throw new ArgumentException($"unknown variant '{variant}' of scenario urpc");

    public RunOutcome Run(Emulation emulation, string variant, int cores)
    {
        if (cores != 2) throw new ArgumentException("scenario urpc runs on exactly 2 cores");
        var options = new UrpcOptions { Slots = Slots, AckThreshold = 2, Fault = FaultOf(variant) };
        var channel = new UrpcChannel(emulation, 0, 1, options);
        var received = new long[2];
        foreach (var (core, end) in new[] { (0, channel.A), (1, channel.B) })
        {
            emulation.Start(core, async ctx =>
            {
                // Send everything first, then receive: both rings fill up at once, so each end drains the other's
                // messages and sends explicit acks while it waits for credit (the hardest case for credits and acks).
                for (var i = 0; i < Messages; i++) await end.SendAsync(ctx, Payload(core, i));
                for (var got = 0; got < Messages; got++)
                {
                    var m = await end.ReceiveAsync(ctx);
                    var expected = Payload(1 - core, got);
                    SafetyViolationException.Check(m == expected, $"core {core} received {m} as message {got} of core {1 - core}, expected {expected}");
                    received[core]++;
                }
            });
        }
        var outcome = emulation.Run(maxSteps: 1_000_000);
        if (outcome.Status == RunStatus.Completed)
            SafetyViolationException.Check(received[0] == Messages && received[1] == Messages, $"messages lost: core 0 got {received[0]}, core 1 got {received[1]} of {Messages}");
        return outcome;
    }

    /// <summary>Each channel end is a machine whose "states" are its last event; transitions are consecutive events (none declared).</summary>
    public IReadOnlyList<CoverageMachine> CoverageMachines(int cores) =>
        [.. Enumerable.Range(0, cores).Select(c => new CoverageMachine(EndName(c), ["start", .. EndEvents], []))];

    public IEnumerable<VisitedTransition> DerivedTransitions(IReadOnlyList<TraceEvent> events)
    {
        var last = new Dictionary<int, string>();
        foreach (var e in events)
        {
            if (!EndEvents.Contains(e.Kind)) continue;
            var state = last.GetValueOrDefault(e.Core, "start");
            yield return new VisitedTransition(EndName(e.Core), state, e.Kind);
            last[e.Core] = e.Kind;
        }
    }

    private static string EndName(int core) => $"urpc end of core {core}";

    public static UrpcMessage Payload(int from, long i) => new(1 + from, from * 1000 + i, i, i * 7, i * 11, i * 13, i * 17, ~i);
}
