using MkVerified.Experiments;
using MkVerified.Protocols.Shootdown;

namespace MkVerified.Tests.Shootdown;

/// <summary>The shapes the paper reports that our model reproduces (see spec/tlb-shootdown.md for where it does not).</summary>
public class ShootdownExperimentTests
{
    [Fact]
    public void At_32_cores_multicast_beats_unicast_and_broadcast_on_amd_8x4()
    {
        var t = TestMachines.Get("amd-8x4");
        var unicast = ShootdownBench.Messages(t, ShootdownProtocol.Unicast, 32, unmap: false);
        var broadcast = ShootdownBench.Messages(t, ShootdownProtocol.Broadcast, 32, unmap: false);
        var multicast = ShootdownBench.Messages(t, ShootdownProtocol.Multicast, 32, unmap: false);
        Assert.True(unicast > 2 * multicast, $"unicast {unicast} vs multicast {multicast}");
        // The paper has broadcast several times multicast too; in our model it is about 1.6x (spec/tlb-shootdown.md says why).
        Assert.True(broadcast > 1.3 * multicast, $"broadcast {broadcast} vs multicast {multicast}");
    }

    [Fact]
    public void Ipi_unmap_grows_linearly_while_message_unmap_grows_slowly()
    {
        var t = TestMachines.Get("amd-8x4");
        var linux = IpiProfile.Load("linux");
        var ipi2 = ShootdownBench.Ipi(t, linux, 2, unmap: true);
        var ipi32 = ShootdownBench.Ipi(t, linux, 32, unmap: true);
        var mk2 = ShootdownBench.Messages(t, ShootdownProtocol.NumaMulticast, 2, unmap: true);
        var mk32 = ShootdownBench.Messages(t, ShootdownProtocol.NumaMulticast, 32, unmap: true);
        Assert.True(ipi32 - ipi2 > 2 * (mk32 - mk2), $"ipi {ipi2}->{ipi32}, messages {mk2}->{mk32}");
        Assert.True(mk32 < ipi32);
    }

    [Fact]
    public void Windows_and_linux_differ_only_by_their_profile_parameters()
    {
        var t = TestMachines.Get("amd-4x4");
        var linux = IpiProfile.Load("linux");
        var windows = IpiProfile.Load("windows");
        var sameAsLinux = windows with { InitiatorPerTargetCycles = linux.InitiatorPerTargetCycles, HandlerCycles = linux.HandlerCycles };
        Assert.Equal(ShootdownBench.Ipi(t, linux, 8, unmap: true), ShootdownBench.Ipi(t, sameAsLinux, 8, unmap: true));
        Assert.NotEqual(ShootdownBench.Ipi(t, linux, 8, unmap: true), ShootdownBench.Ipi(t, windows, 8, unmap: true));
    }
}
