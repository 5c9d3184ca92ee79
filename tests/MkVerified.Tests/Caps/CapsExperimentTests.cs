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
    public void The_experiment_emits_one_row_per_operation_and_core_count()
    {
        var result = new CapsExperiment().Run(TestMachines.Get("amd-4x4").Model);
        Assert.Equal(4 * 8, result.Rows.Count);
        Assert.Equal(["copy", "retype", "delete", "revoke"], result.Rows.Select(r => (string)r["op"]).Distinct());
    }
}
