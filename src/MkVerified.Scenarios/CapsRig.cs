using MkVerified.Kernel.Caps;
using MkVerified.Protocols.Capabilities;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Scenarios;

/// <summary>
/// The parts of a capability run on cores 0..N-1: one CNode per core (kept across emulations), the memory server on
/// core 0, the ghost checker, and per emulation the network and one service per core.
/// </summary>
public sealed class CapsRig
{
    public const long RamSize = 4 * RetypeRules.PageSize;

    public CapsRig(int cores, int slots = 32)
    {
        Tables = Enumerable.Range(0, cores).Select(c => new CapTable(c, slots)).ToList();
        MemoryServer = new MemoryServer(0, 0x100000);
        Ghost = new CapsGhost(Tables);
    }

    public IReadOnlyList<CapTable> Tables { get; }
    public MemoryServer MemoryServer { get; }
    public CapsGhost Ghost { get; }

    /// <summary>A fresh RAM object from the memory server, its first copy on <paramref name="core"/> (owned there).</summary>
    public (CapKey Key, int Slot) NewRam(int core, long size = RamSize)
    {
        var key = MemoryServer.Allocate(size);
        Ghost.HandedOut(key);
        return (key, Tables[core].Insert(new Capability(key, CapRights.All), core));
    }

    /// <summary>Setup only (before a run): places a copy of <paramref name="key"/> owned by <paramref name="owner"/> on <paramref name="core"/>.</summary>
    public int Place(int core, CapKey key, int owner)
    {
        var slot = Tables[core].Insert(new Capability(key, CapRights.All), owner);
        if (core != owner) Tables[owner].State(key)!.CopyHolders = Tables[owner].State(key)!.CopyHolders.With(core);
        foreach (var t in Tables)
            foreach (var anc in t.AncestorsOf(key))
                if (t.State(anc) is { } s && s.Owner == t.Core && t.Core != core) s.DescHolders = s.DescHolders.With(core);
        Tables[core].State(key)!.RemoteAncestors = Tables.Any(t => t.AncestorsOf(key).Any(a => t.State(a)!.Owner != core));
        return slot;
    }

    /// <summary>Binds the tables to <paramref name="emulation"/> and builds the services of every core.</summary>
    public IReadOnlyList<CapsService> Services(Emulation emulation, CapsVariant variant, UrpcOptions? options = null)
    {
        foreach (var t in Tables) t.Bind(emulation);
        var network = new CapsNetwork(emulation, Enumerable.Range(0, Tables.Count).ToList(), options);
        var trap = emulation.Topology.Model.Costs.Trap;
        return Tables.Select(t => new CapsService(t.Core, t, network, MemoryServer, variant, trap, Ghost)).ToList();
    }
}
