using System.Collections.Immutable;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Tests.Properties;

/// <summary>
/// The model of a URPC channel: the messages handed to the sender so far, in order. Whether a given poll finds
/// a message depends on the interleaving, so the model does not predict it; the checks say what must hold in
/// every interleaving: what was taken is a prefix of what was sent (in order, intact, nothing twice), at most
/// <c>Slots</c> messages are ever in flight, and a drain delivers everything.
/// </summary>
public sealed record UrpcChannelModel(int Slots, int AckThreshold, ImmutableList<UrpcMessage> Sent)
{
    public override string ToString() => $"slots {Slots}, ack threshold {AckThreshold}, {Sent.Count} sent";
}

/// <summary>
/// FsCheck state machine over <see cref="UrpcChannelHarness"/>: random sequences of sends, polls, takes,
/// interleaved runs (scheduling choices generated too) and drains. Acks happen inside the channel (piggybacked
/// on nothing here, since the receiver never sends, so always explicit through the ack line). The channel's ghost
/// checks throw <see cref="SafetyViolationException"/> if a send overwrites an unconsumed slot.
/// </summary>
public sealed class UrpcChannelMachine(UrpcFault fault) : Machine<UrpcChannelHarness, UrpcChannelModel>
{
    public override Arbitrary<Setup<UrpcChannelHarness, UrpcChannelModel>> Setup =>
        Arb.From(
            from slots in Gen.Choose(3, 8)
            from threshold in Gen.Choose(2, slots - 1)
            select (Setup<UrpcChannelHarness, UrpcChannelModel>)new ChannelSetup(slots, threshold, fault));

    public override Gen<Operation<UrpcChannelHarness, UrpcChannelModel>> Next(UrpcChannelModel model) =>
        Gen.Frequency(
            (4, MessageGen(model.Sent.Count).Select(m => (Operation<UrpcChannelHarness, UrpcChannelModel>)new SendOp(m))),
            (3, Gen.Constant((Operation<UrpcChannelHarness, UrpcChannelModel>)new ReceiverOp(UrpcChannelHarness.ReceiverCommand.Poll))),
            (3, Gen.Constant((Operation<UrpcChannelHarness, UrpcChannelModel>)new ReceiverOp(UrpcChannelHarness.ReceiverCommand.Take))),
            (4, from picks in Gen.ArrayOf(Gen.Choose(0, 3))
                from steps in Gen.Choose(1, 24)
                select (Operation<UrpcChannelHarness, UrpcChannelModel>)new InterleaveOp(picks, steps)),
            (1, Gen.ArrayOf(Gen.Choose(0, 3)).Select(p => (Operation<UrpcChannelHarness, UrpcChannelModel>)new DrainOp(p))));

    /// <summary>Message number <paramref name="seq"/>: its number in the first word (so every message is distinct), random elsewhere.</summary>
    private static Gen<UrpcMessage> MessageGen(int seq) =>
        from type in Gen.Choose(1, 0x7FFE)
        from w in Gen.ArrayOf(Gen.Choose(int.MinValue, int.MaxValue), 12)
        select new UrpcMessage(type, seq,
            Wide(w[0], w[1]), Wide(w[2], w[3]), Wide(w[4], w[5]), Wide(w[6], w[7]), Wide(w[8], w[9]), Wide(w[10], w[11]));

    private static long Wide(int high, int low) => ((long)high << 32) | (uint)low;

    /// <summary>What must hold after every operation, whatever the interleaving.</summary>
    private static Property Invariants(UrpcChannelHarness actual, UrpcChannelModel model)
    {
        var taken = actual.Taken;
        var prefix = taken.Count <= model.Sent.Count && taken.Select((m, i) => m == model.Sent[i]).All(ok => ok);
        var inFlight = actual.Channel.A.Sent - actual.Channel.B.Consumed;
        return prefix.Label($"taken messages are the sent ones, in order, intact, once (taken {taken.Count} of {model.Sent.Count})")
            .And((inFlight >= 0 && inFlight <= model.Slots).Label($"in flight {inFlight} within 0..{model.Slots} slots"))
            .And((taken.Count + actual.Channel.B.Pending <= model.Sent.Count).Label("taken + pending <= sent"));
    }

    private sealed class ChannelSetup(int slots, int threshold, UrpcFault fault) : Setup<UrpcChannelHarness, UrpcChannelModel>
    {
        public override UrpcChannelHarness Actual() =>
            new(new UrpcOptions { Slots = slots, AckThreshold = threshold, Fault = fault });

        public override UrpcChannelModel Model() => new(slots, threshold, []);

        public override string ToString() => $"channel with {slots} slots, ack threshold {threshold}, fault {fault}";
    }

    private sealed class SendOp(UrpcMessage message) : Operation<UrpcChannelHarness, UrpcChannelModel>
    {
        public override UrpcChannelModel Run(UrpcChannelModel model) => model with { Sent = model.Sent.Add(message) };

        public override Property Check(UrpcChannelHarness actual, UrpcChannelModel model)
        {
            actual.Send(message);
            return Invariants(actual, model);
        }

        public override string ToString() => $"send #{message.W0}";
    }

    private sealed class ReceiverOp(UrpcChannelHarness.ReceiverCommand command) : Operation<UrpcChannelHarness, UrpcChannelModel>
    {
        public override UrpcChannelModel Run(UrpcChannelModel model) => model;

        public override Property Check(UrpcChannelHarness actual, UrpcChannelModel model)
        {
            actual.Receiver(command);
            return Invariants(actual, model);
        }

        public override string ToString() => command.ToString().ToLowerInvariant();
    }

    private sealed class InterleaveOp(int[] picks, int steps) : Operation<UrpcChannelHarness, UrpcChannelModel>
    {
        public override UrpcChannelModel Run(UrpcChannelModel model) => model;

        public override Property Check(UrpcChannelHarness actual, UrpcChannelModel model)
        {
            actual.Run(picks, steps);
            return Invariants(actual, model);
        }

        public override string ToString() => $"run {steps} steps picking [{string.Join(",", picks)}]";
    }

    private sealed class DrainOp(int[] picks) : Operation<UrpcChannelHarness, UrpcChannelModel>
    {
        public override UrpcChannelModel Run(UrpcChannelModel model) => model;

        public override Property Check(UrpcChannelHarness actual, UrpcChannelModel model)
        {
            actual.Receiver(UrpcChannelHarness.ReceiverCommand.Drain);
            var outcome = actual.Run(picks, 1_000_000);
            return (outcome.Status == RunStatus.Completed).Label($"drain completes ({outcome.Status} {outcome.Report})")
                .And(actual.Taken.SequenceEqual(model.Sent).Label($"drain delivers all {model.Sent.Count} sent messages in order (got {actual.Taken.Count})"))
                .And(Invariants(actual, model));
        }

        public override string ToString() => $"drain picking [{string.Join(",", picks)}]";
    }
}
