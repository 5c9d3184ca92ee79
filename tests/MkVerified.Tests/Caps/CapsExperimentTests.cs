using MkVerified.Experiments;

namespace MkVerified.Tests.Caps;

/// <summary>The shapes the protocol implies for the caps experiment on amd-8x4.</summary>
public class CapsExperimentTests
{
    [Fact]
    public void Operations_that_involve_every_holder_grow_with_the_holders_while_a_copy_to_one_core_does_not()
    {
        var t = TestMachines.Get("amd-8x4");
        var at2 = CapsBench.Measure(t, 2);
        var at16 = CapsBench.Measure(t, 16);
        var at32 = CapsBench.Measure(t, 32);
        // retype, delete-last and revoke send one message to (and wait for) every other member: growth per core
        foreach (var (op, small, mid, large) in new[]
        {
            ("retype", at2.Retype, at16.Retype, at32.Retype),
            ("delete", at2.Delete, at16.Delete, at32.Delete),
            ("revoke", at2.Revoke, at16.Revoke, at32.Revoke),
        })
        {
            Assert.True(small < mid && mid < large, $"{op}: {small} -> {mid} -> {large} is not increasing");
            Assert.True(large > 5 * small, $"{op}: {large} at 32 cores is not well above {small} at 2");
        }
        // a revoke does two rounds (mark, sweep) over every holder: it grows faster than the one-round retype
        Assert.True(at32.Revoke - at2.Revoke > at32.Retype - at2.Retype, $"revoke grew {at32.Revoke - at2.Revoke}, retype {at32.Retype - at2.Retype}");
        // a copy involves the owner and its one destination only (polling more channels costs a little)
        Assert.True(at32.Copy < 1.1 * at2.Copy, $"copy grew from {at2.Copy} to {at32.Copy}");
    }

    [Fact]
    public void Revoke_delete_and_retype_cost_follows_the_holders_not_the_machine()
    {
        var t = TestMachines.Get("amd-8x4");
        var oneAt2 = CapsBench.Measure(t, 2, 1);
        var oneAt32 = CapsBench.Measure(t, 32, 1);
        var allAt32 = CapsBench.Measure(t, 32, 31);
        foreach (var (op, one2, one32, all32) in new[]
        {
            ("retype", oneAt2.Retype, oneAt32.Retype, allAt32.Retype),
            ("delete", oneAt2.Delete, oneAt32.Delete, allAt32.Delete),
            ("revoke", oneAt2.Revoke, oneAt32.Revoke, allAt32.Revoke),
        })
        {
            // one holder at 32 cores: the owner messages one core, however many the machine has
            Assert.True(4 * one32 < all32, $"{op}: one holder at 32 cores costs {one32}, 31 holders {all32}");
            // what remains is the farther holder (core 31 is on another package than core 1) and more channels to poll
            Assert.True(one32 < 2 * one2, $"{op}: one holder costs {one2} at 2 cores and {one32} at 32");
        }
    }

    [Fact]
    public void The_experiment_emits_one_row_per_operation_core_count_and_holder_count()
    {
        var result = new CapsExperiment().Run(TestMachines.Get("amd-4x4").Model);
        // 2 cores: 1 holder; 4 cores: 1 and 3; 6..16 cores: 1, 4 and all
        Assert.Equal(4 * (1 + 2 + 6 * 3), result.Rows.Count);
        Assert.Equal(["copy", "retype", "delete", "revoke"], result.Rows.Select(r => (string)r["op"]).Distinct());
        Assert.All(result.Rows, r => Assert.Equal(["op", "cores", "holders", "latencyCycles"], r.Fields.Select(f => f.Key)));
        Assert.Equal([1L, 4L, 15L], result.Rows.Where(r => (long)r["cores"] == 16 && (string)r["op"] == "revoke").Select(r => (long)r["holders"]));
    }

    [Fact]
    public void Holders_are_spread_evenly_and_the_last_core_is_one()
    {
        Assert.Equal([31], CapsBench.HolderCores(32, 1));
        Assert.Equal([7, 15, 23, 31], CapsBench.HolderCores(32, 4));
        Assert.Equal(Enumerable.Range(1, 31), CapsBench.HolderCores(32, 31));
        Assert.Throws<ArgumentOutOfRangeException>(() => CapsBench.Measure(TestMachines.Get("amd-4x4"), 4, 4));
    }
}
