namespace MkVerified.Protocols.Shootdown;

/// <summary>How the invalidation request travels (the paper's Figure 6).</summary>
public enum ShootdownProtocol { Unicast, Broadcast, Multicast, NumaMulticast }

public static class ShootdownProtocols
{
    public static IReadOnlyList<ShootdownProtocol> All { get; } = [ShootdownProtocol.Unicast, ShootdownProtocol.Broadcast, ShootdownProtocol.Multicast, ShootdownProtocol.NumaMulticast];

    public static string Name(ShootdownProtocol p) => p switch
    {
        ShootdownProtocol.Unicast => "unicast",
        ShootdownProtocol.Broadcast => "broadcast",
        ShootdownProtocol.Multicast => "multicast",
        _ => "numa-multicast",
    };
}
