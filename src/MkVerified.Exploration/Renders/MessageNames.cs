using System.Text.RegularExpressions;
using MkVerified.Kernel.Monitor;
using MkVerified.Protocols.Agreement;
using MkVerified.Protocols.Capabilities;
using MkVerified.Protocols.Shootdown;

namespace MkVerified.Exploration.Renders;

/// <summary>
/// Names message types by protocol and message (<c>agreement.Prepare</c>, <c>tlb.Ack</c>, <c>caps.Mark</c>) for the
/// renders. A type number means different messages in different protocols, so the scenario decides which table applies.
/// </summary>
public static partial class MessageNames
{
    [GeneratedRegex(@"\btype (\d+)")]
    private static partial Regex TypeNumber();

    /// <summary>The name of message type <paramref name="type"/> in <paramref name="scenario"/>, or "type N" when it has none.</summary>
    public static string Name(string scenario, int type)
    {
        string? name = scenario switch
        {
            "urpc" => "urpc.Data", // the scenario's payload messages (type 1 + the sending core)
            "agreement" or "agreement-fairness" when type >> 8 == AgreementMessages.ProtocolId && Enum.IsDefined((AgreementKind)(type & 0xFF)) =>
                $"agreement.{(AgreementKind)(type & 0xFF)}",
            "tlb-shootdown" or "tlb-map-unmap" or "tlb-double-unmap" => ShootdownService.MessageName(type),
            _ when scenario.StartsWith("caps", StringComparison.Ordinal) => CapsMessages.Name(type),
            _ => null,
        };
        return name ?? (type >> 8 > 0 && type >> 8 <= MonitorMessage.MaxProtocol ? $"type {type} (protocol {type >> 8}, kind {type & 0xFF})" : $"type {type}");
    }

    /// <summary>Replaces every "type N" in an event's detail with the message's name.</summary>
    public static string InDetail(string scenario, string detail) =>
        TypeNumber().Replace(detail, m => Name(scenario, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
}
