using Stateless.Reflection;

namespace MkVerified.Protocols.Capabilities;

/// <summary>The owner-side coordinators of the capability protocol by name, with their declared shapes (for coverage).</summary>
public static class CapsMachines
{
    public const string Copy = "caps.copy";
    public const string Retype = "caps.retype";
    public const string Delete = "caps.delete";
    public const string Revoke = "caps.revoke";

    /// <summary>Each coordinator's configuration as Stateless describes it (built with one other member, so every path exists).</summary>
    public static IReadOnlyList<(string Name, StateMachineInfo Info)> Infos() =>
    [
        (Copy, new CopyCoordinator(1, () => { }, () => { }, _ => { }).Machine.GetInfo()),
        (Retype, new RetypeCoordinator(1, true, () => { }, () => false, _ => { }).Machine.GetInfo()),
        (Delete, new DeleteCoordinator(1, () => { }, _ => { }, _ => { }, () => { }).Machine.GetInfo()),
        (Revoke, new RevokeCoordinator(1, () => { }, () => { }).Machine.GetInfo()),
    ];
}
