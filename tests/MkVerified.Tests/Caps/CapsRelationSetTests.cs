using MkVerified.Kernel.Caps;
using MkVerified.Protocols.Capabilities;
using MkVerified.Runtime;

namespace MkVerified.Tests.Caps;

/// <summary>Relation sets naming cores beyond 63 travel with ownership (move on delete, retrieve) and arrive whole.</summary>
public class CapsRelationSetTests
{
    private static readonly int[] Members = [0, 70, 200];

    [Fact]
    public void Sets_within_one_word_travel_in_one_message_and_larger_ones_in_more()
    {
        var key = new CapKey(CapType.Ram, 0x100000, 4 * RetypeRules.PageSize);
        var small = CapsMessages.WithSets(CapsMessageType.Move, 7, key, CoreSet.Of(3).With(63), CoreSet.Of(5));
        Assert.Single(small);
        Assert.Equal(0, small[0].W6);
        var copies = CoreSet.Of(0).With(200).With(1000);
        var descs = CoreSet.Of(70);
        var large = CapsMessages.WithSets(CapsMessageType.RetrieveReply, 7, key, copies, descs);
        Assert.Equal(16, large[0].W6);
        Assert.Equal(1 + (2 * 15 + 5) / 6, large.Length);
        Assert.All(large.Skip(1), m => Assert.Equal(CapsMessageType.MoreSets, CapsMessages.Type(m)));
        var more = large.Skip(1).SelectMany(m => Enumerable.Range(1, 6).Select(k => (ulong)m[k])).Take(CapsMessages.MoreSetWords(large[0])).ToList();
        Assert.Equal((copies, descs), CapsMessages.Sets(large[0], more));
    }

    [Fact]
    public void Ownership_moves_and_is_retrieved_with_holders_beyond_core_63()
    {
        var topology = TestMachines.Get("synthetic-256");
        var tables = Members.ToDictionary(c => c, c => new CapTable(c, 8));
        var memoryServer = new MemoryServer(0, 0x100000);
        var ram = memoryServer.Allocate(4 * RetypeRules.PageSize);
        var ownerSlot = tables[0].Insert(new Capability(ram, CapRights.All), owner: 0);
        tables[70].Insert(new Capability(ram, CapRights.All), owner: 0);
        var slot200 = tables[200].Insert(new Capability(ram, CapRights.All), owner: 0);
        tables[0].State(ram)!.CopyHolders = CoreSet.Of(70).With(200);

        // core 0 deletes its last copy: ownership moves to core 70 with the copy holders {0, 200}; core 0's release drops it
        var delete = Run(topology, tables, memoryServer, 0, (s, ctx) => s.DeleteAsync(ctx, ownerSlot));
        Assert.Equal(CapResult.Ok, delete);
        Assert.Equal(70, tables[70].State(ram)!.Owner);
        Assert.Equal(CoreSet.Of(200), tables[70].State(ram)!.CopyHolders);
        Assert.Equal(70, tables[200].State(ram)!.Owner);
        Assert.Empty(memoryServer.Returned);

        // core 200 retrieves ownership: the new owner knows core 70 holds a copy, and core 70 knows the new owner
        var retrieve = Run(topology, tables, memoryServer, 200, (s, ctx) => s.RetrieveAsync(ctx, slot200));
        Assert.Equal(CapResult.Ok, retrieve);
        Assert.Equal(200, tables[200].State(ram)!.Owner);
        Assert.Equal(CoreSet.Of(70), tables[200].State(ram)!.CopyHolders);
        Assert.Equal(200, tables[70].State(ram)!.Owner);
    }

    /// <summary>One operation on <paramref name="core"/> while the other members serve; returns its answer once the run is quiescent.</summary>
    private static CapResult Run(MkVerified.Hardware.Topology topology, Dictionary<int, CapTable> tables, MemoryServer memoryServer, int core,
        Func<CapsService, CoreContext, CoreTask<CapResult>> operation)
    {
        var emulation = new Emulation(topology);
        foreach (var t in tables.Values) t.Bind(emulation);
        var network = new CapsNetwork(emulation, Members);
        var services = Members.ToDictionary(c => c, c => new CapsService(c, tables[c], network, memoryServer, CapsVariant.Correct, topology.Model.Costs.Trap));
        CapResult? result = null;
        foreach (var c in Members)
        {
            var service = services[c];
            if (c != core) emulation.Start(c, service.ServeAsync);
            else emulation.Start(c, async ctx =>
            {
                result = await operation(service, ctx);
                await service.ServeAsync(ctx);
            });
        }
        var outcome = emulation.RunWithin(100_000);
        Assert.Equal(RunStatus.Quiescent, outcome.Status);
        return result ?? throw new InvalidOperationException("the operation did not answer");
    }
}
