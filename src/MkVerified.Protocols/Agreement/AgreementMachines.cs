using Stateless.Reflection;

namespace MkVerified.Protocols.Agreement;

/// <summary>The agreement's Stateless machines by name, with their declared shapes (for coverage).</summary>
public static class AgreementMachines
{
    public const string Coordinator = "agreement.coordinator";
    public const string Participant = "agreement.participant";
    public const string Forwarder = "agreement.forwarder";

    /// <summary>Each machine's configuration as Stateless describes it (the correct protocol's).</summary>
    public static IReadOnlyList<(string Name, StateMachineInfo Info)> Infos()
    {
        var host = new DescriptionHost();
        var variant = AgreementVariant.Correct;
        return
        [
            (Coordinator, new CoordinatorMachine(new CoordinatorRecord(new ReplyTally([], variant, false), new ReplyTally([], variant, false)), host, variant).Info),
            (Participant, new ParticipantMachine(new ParticipantRecord(), host, variant).Info),
            (Forwarder, new ForwarderMachine(new ForwarderRecord(new ReplyTally([], variant, true), new ReplyTally([], variant, true)), host, variant).Info),
        ];
    }
}
