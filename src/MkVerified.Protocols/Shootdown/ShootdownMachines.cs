using Stateless.Reflection;

namespace MkVerified.Protocols.Shootdown;

/// <summary>The shootdown's Stateless machines by name, with their declared shapes (for coverage).</summary>
public static class ShootdownMachines
{
    public const string Initiator = "shootdown.initiator";
    public const string Forwarder = "shootdown.forwarder";
    public const string Responder = "shootdown.responder";

    /// <summary>Each machine's configuration as Stateless describes it (built with one child, so every path exists).</summary>
    public static IReadOnlyList<(string Name, StateMachineInfo Info)> Infos()
    {
        var effects = new List<ShootdownEffect>();
        return
        [
            (Initiator, new ShootdownInitiator([1], false, true, ShootdownVariant.Correct, effects).Machine.GetInfo()),
            (Forwarder, new ShootdownForwarder(0, [2], ShootdownVariant.Correct, effects).Machine.GetInfo()),
            (Responder, new ShootdownResponder(0, ShootdownVariant.Correct, effects).Machine.GetInfo()),
        ];
    }
}
