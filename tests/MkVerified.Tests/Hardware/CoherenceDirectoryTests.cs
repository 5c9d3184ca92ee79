using MkVerified.Hardware;

namespace MkVerified.Tests.Hardware;

public class CoherenceDirectoryTests
{
    private static (CoherenceDirectory Dir, Topology T, CostSpec C) Make(string machine = "amd-4x4")
    {
        var t = new Topology(ModelCatalog.Load(machine));
        var d = new CoherenceDirectory(t);
        d.AddLines(4, homePackage: 0);
        return (d, t, t.Model.Costs);
    }

    [Fact]
    public void First_read_comes_from_memory_then_hits()
    {
        var (d, t, c) = Make();
        Assert.Equal(t.MemoryCost(4, 0), d.Read(4, 0, 0));
        Assert.Equal(1000 + c.CacheHit, d.Read(4, 0, 1000));
        Assert.True(d.Holds(4, 0));
    }

    [Fact]
    public void Read_of_a_dirty_line_is_a_transfer_from_the_owner_by_distance()
    {
        var (d, t, c) = Make();
        d.Write(0, 0, 0);
        var done = d.Read(12, 0, 10_000);
        Assert.Equal(10_000 + t.TransferCost(0, 12), done);
        Assert.Equal(0, d.OwnerOf(0)); // MOESI: owner keeps the dirty line (O), reader shares it
        Assert.Equal(2, d.SharerCount(0));
    }

    [Fact]
    public void Write_invalidates_every_other_copy_and_pays_the_farthest()
    {
        var (d, t, c) = Make();
        d.Write(0, 1, 0);
        d.Read(1, 1, 1000);
        d.Read(12, 1, 2000);
        var done = d.Write(1, 1, 5000);
        Assert.Equal(5000 + Math.Max(t.TransferCost(0, 1), t.TransferCost(12, 1)), done);
        Assert.Equal(1, d.SharerCount(1));
        Assert.True(d.Holds(1, 1));
        Assert.False(d.Holds(12, 1));
        Assert.Equal(5000 + Math.Max(t.TransferCost(0, 1), t.TransferCost(12, 1)) + c.CacheHit, d.Write(1, 1, done));
    }

    [Fact]
    public void Transfers_of_one_line_are_serialized()
    {
        var (d, t, _) = Make();
        d.Write(0, 2, 0);
        var first = d.Write(4, 2, 1000);   // busy until first
        var second = d.Write(8, 2, 1000);  // starts when the first transfer ends
        Assert.Equal(1000 + t.TransferCost(0, 4), first);
        Assert.Equal(first + t.TransferCost(4, 8), second);
    }

    [Fact]
    public void Hits_do_not_wait_for_other_lines()
    {
        var (d, _, c) = Make();
        d.Write(0, 3, 0);
        d.Write(4, 2, 0);
        Assert.Equal(50 + c.CacheHit, d.Write(0, 3, 50));
    }
}
