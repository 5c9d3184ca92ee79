namespace MkVerified.Kernel.Skb;

/// <summary>How a message reaches a set of cores.</summary>
public enum TreeKind
{
    /// <summary>The root sends to every target itself.</summary>
    Unicast,
    /// <summary>The root sends to one aggregation core per package, which forwards to the rest of its package.</summary>
    Multicast,
    /// <summary>Multicast with packages sent to in order of decreasing distance, so the farthest start first.</summary>
    Numa,
}

public static class TreeKinds
{
    public static string Name(TreeKind kind) => kind switch
    {
        TreeKind.Unicast => "unicast",
        TreeKind.Multicast => "multicast",
        _ => "numa",
    };

    public static TreeKind Parse(string name) => name switch
    {
        "unicast" => TreeKind.Unicast,
        "multicast" => TreeKind.Multicast,
        "numa" or "numa-multicast" => TreeKind.Numa,
        _ => throw new ArgumentException($"unknown tree kind '{name}' (unicast, multicast, numa)"),
    };
}
