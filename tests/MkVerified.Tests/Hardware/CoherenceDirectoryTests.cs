using MkVerified.Hardware;

namespace MkVerified.Tests.Hardware;

/// <summary>
/// The directory and the interconnect's timing on a hand-sized machine whose every cycle can be worked out on paper:
/// two packages of two cores joined by one link, broadcast probes.
/// </summary>
public class CoherenceDirectoryTests
{
    private static MachineModel Pair(ProbeKind probes = ProbeKind.Broadcast) => new()
    {
        Name = "pair",
        Description = "two packages of two cores, one link",
        ClockGHz = 2.0,
        Interconnect = InterconnectKind.PointToPoint,
        Packages = [new PackageSpec(0, [new DieSpec(0, [0, 1])]), new PackageSpec(1, [new DieSpec(0, [2, 3])])],
        Caches = [new CacheLevel(1, 64, CacheSharing.Core), new CacheLevel(3, 2048, CacheSharing.Package)],
        Links = [(0, 1)],
        Costs = new CostSpec
        {
            CacheHit = 3, SharedCacheTransfer = 100, SameDieTransfer = 100, CrossDieTransfer = 100, Memory = 200,
            MessageSend = 100, MessageReceive = 100, IpiSend = 400, Trap = 800, TlbInvalidate = 150, LocalRpc = 1000,
        },
        Coherence = new CoherenceSpec
        {
            Probes = probes, LinkLatency = 10, ControlOccupancy = 4, DataOccupancy = 30, EngineLatency = 20,
            HomeOccupancy = 50, ProbeOccupancy = 5, OnChipOccupancy = 0, OutstandingMisses = 2,
        },
    };

    private static CoherenceDirectory Make(ProbeKind probes = ProbeKind.Broadcast)
    {
        var d = new CoherenceDirectory(new Topology(Pair(probes)));
        d.AddLines(4, homePackage: 0);
        return d;
    }

    [Fact]
    public void A_read_on_the_home_chip_costs_memory_then_hits()
    {
        var d = Make();
        Assert.Equal(200, d.Read(0, 0, 0));          // homed here, no copy anywhere: memory, no probes
        Assert.Equal(1003, d.Read(0, 0, 1000));      // now a hit
        Assert.True(d.Holds(0, 0));
    }

    [Fact]
    public void A_read_from_the_other_package_goes_through_the_home_and_waits_for_every_answer()
    {
        var d = Make();
        // request over the link (10 + 4), home orders it (20), memory (200), data back over the link (10 + 30), fill (3)
        Assert.Equal(14 + 20 + 200 + 40 + 3, d.Read(2, 0, 0));
        // the done message reaches the home one control message later: the line takes its next request then
        Assert.Equal(277 + 14, d.BusyUntil(0));
    }

    [Fact]
    public void A_dirty_line_moves_between_cores_of_one_chip_without_the_link()
    {
        var d = Make();
        d.Write(0, 0, 0);
        Assert.Equal(10_000 + 100, d.Read(1, 0, 10_000)); // the shared cache's transfer
        Assert.Equal(0, d.OwnerOf(0));                     // MOESI: the owner keeps the dirty line, the reader shares it
        Assert.Equal(2, d.SharerCount(0));
    }

    [Fact]
    public void Transactions_on_one_line_are_ordered_by_its_home_one_at_a_time()
    {
        var d = Make();
        d.Write(0, 1, 0);
        var first = d.Read(2, 1, 1000);
        var second = d.Read(3, 1, 1000);
        Assert.True(second >= d.BusyUntil(1) - 14 && second > first + 20, $"second read {second} did not wait for the first ({first})");
    }

    [Fact]
    public void Requests_to_different_lines_of_one_home_queue_for_its_occupancy()
    {
        var d = Make();
        var a = d.Read(2, 2, 0);
        var b = d.Read(3, 3, 0); // another line, same home: ordered homeOccupancy (50) cycles after the first
        Assert.Equal(a + 50, b);
    }

    [Fact]
    public void Stores_to_lines_held_elsewhere_overlap_their_misses_but_become_visible_in_program_order()
    {
        Make().Store(2, 0, 0, out var alone);
        var d = Make();
        d.Store(2, 0, 0, out var first);
        d.Store(2, 1, 0, out var second); // a second buffer: its request goes out at once, not when the first is visible
        Assert.Equal(alone, first);
        Assert.True(second >= first, $"the second store became visible at {second}, before the first ({first})");
        Assert.True(second < 2 * alone, $"the second store ({second}) waited for the first ({first}) before asking for its line");
        d.Store(2, 2, 0, out var third); // both buffers busy: the third asks only when one frees
        Assert.True(third >= first + alone / 2, $"the third store ({third}) did not wait for a free buffer");
    }

    [Fact]
    public void A_store_waiting_in_the_store_buffer_does_not_hide_earlier_bookings_from_other_cores()
    {
        var isolated = Make().Read(3, 2, 5);
        var withTwoStores = Make();
        withTwoStores.Store(2, 0, 0, out _); // core 2's two buffers: both requests start at once and take the home in turn
        withTwoStores.Store(2, 1, 3, out _);
        var queued = withTwoStores.Read(3, 2, 5);
        Assert.True(queued > isolated + 50, $"core 3's read ({queued}) did not queue behind the stores' turns at the home ({isolated} alone)");
        var d = Make();
        d.Store(2, 0, 0, out _);
        d.Store(2, 1, 3, out _);
        d.Store(2, 3, 4, out _); // no free buffer: this miss starts when the first one completes, far ahead of every clock
        // Core 3 issues later than every store (time order) but before the third miss starts: the first two stores'
        // turns at the home are still booked, and it waits for them exactly as it did without the third store.
        Assert.Equal(queued, d.Read(3, 2, 5));
    }

    [Fact]
    public void A_write_invalidates_every_other_copy()
    {
        var d = Make();
        d.Write(0, 1, 0);
        d.Read(1, 1, 1000);
        d.Read(2, 1, 2000);
        var done = d.Write(1, 1, 5000);
        Assert.True(done > 5000 + 2 * 10, "invalidating the copy in the other package crosses the link and back");
        Assert.Equal(1, d.SharerCount(1));
        Assert.True(d.Holds(1, 1));
        Assert.False(d.Holds(2, 1));
        Assert.True(d.HasStaleCopy(2, 1));
        Assert.Equal(done + 3, d.Write(1, 1, done));
    }

    [Fact]
    public void Stores_go_on_at_once_but_become_visible_in_order_one_miss_after_another()
    {
        var d = Make();
        d.Read(2, 0, 0);
        d.Read(2, 1, 0);
        var core = d.Store(0, 0, 10_000, out var firstVisible);
        Assert.Equal(10_003, core);                        // the core does not wait for the store
        core = d.Store(0, 1, core, out var secondVisible);
        Assert.Equal(10_006, core);
        Assert.True(secondVisible > firstVisible, "the second store's miss starts when the first store is visible");
        Assert.Equal(secondVisible, d.StoresDrained(0));
        d.Store(0, 2, core, out _);
        Assert.True(d.Store(0, 3, core + 3, out _) >= firstVisible, "with two miss buffers taken the core stalls");
    }

    [Fact]
    public void Filtered_probes_ask_only_the_packages_that_hold_the_line()
    {
        // Broadcast probes also ask the requester's own package over the link, which the data answer then queues behind.
        var broadcast = Make(ProbeKind.Broadcast);
        var filtered = Make(ProbeKind.Filtered);
        broadcast.Write(0, 0, 0);
        filtered.Write(0, 0, 0);
        var viaFilter = filtered.Read(2, 0, 1000);
        var viaBroadcast = broadcast.Read(2, 0, 1000);
        Assert.Equal(1000 + 14 + 20 + 40 + 3, viaFilter); // request, home (which holds it), data back, fill
        Assert.True(viaBroadcast > viaFilter, $"broadcast {viaBroadcast} should cost more than filtered {viaFilter}");
    }

    [Fact]
    public void Hits_do_not_wait_for_other_lines()
    {
        var d = Make();
        var mine = d.Write(0, 3, 0);
        d.Write(2, 2, 0);
        Assert.Equal(mine + 3, d.Write(0, 3, mine));
    }
}
