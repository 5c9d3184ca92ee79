using MkVerified.Runtime;

namespace MkVerified.Urpc;

/// <summary>A bidirectional URPC channel between two cores: two rings, each homed at its receiver's package, and the two endpoints.</summary>
public sealed class UrpcChannel
{
    public UrpcChannel(Emulation emulation, int a, int b, UrpcOptions? options = null)
    {
        options ??= UrpcOptions.Default;
        options.Validate();
        if (a == b) throw new ArgumentException($"a URPC channel joins two different cores, not core {a} with itself");
        var topology = emulation.Topology;
        var costs = topology.Model.Costs;
        AtoB = new UrpcRing(emulation.Memory, options.Slots, topology.PackageOf(b), a, b);
        BtoA = new UrpcRing(emulation.Memory, options.Slots, topology.PackageOf(a), b, a);
        A = new UrpcEndpoint(a, b, AtoB, BtoA, options, costs.MessageSend, costs.MessageReceive);
        B = new UrpcEndpoint(b, a, BtoA, AtoB, options, costs.MessageSend, costs.MessageReceive);
    }

    public UrpcRing AtoB { get; }
    public UrpcRing BtoA { get; }

    /// <summary>The endpoint used by core a.</summary>
    public UrpcEndpoint A { get; }

    /// <summary>The endpoint used by core b.</summary>
    public UrpcEndpoint B { get; }
}
