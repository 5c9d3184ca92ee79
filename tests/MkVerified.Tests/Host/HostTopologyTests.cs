using MkVerified.Hardware;

namespace MkVerified.Tests.Host;

/// <summary><c>mk models host</c>'s reader, on a sysfs tree written by the test (and on the real host, whatever it is).</summary>
public sealed class HostTopologyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mk-sysfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }

    /// <summary>Two packages of two CPUs each; L1/L2 private, L3 per package; NUMA node per package at distance 21.</summary>
    private void TwoSocketHost()
    {
        Write("sys/devices/system/cpu/online", "0-3");
        for (var cpu = 0; cpu < 4; cpu++)
        {
            var pkg = cpu / 2;
            var dir = $"sys/devices/system/cpu/cpu{cpu}";
            Write($"{dir}/topology/physical_package_id", pkg.ToString());
            Write($"{dir}/topology/die_id", "0");
            Write($"{dir}/topology/thread_siblings_list", cpu.ToString());
            Write($"{dir}/cache/index0/level", "1");
            Write($"{dir}/cache/index0/type", "Data");
            Write($"{dir}/cache/index0/size", "48K");
            Write($"{dir}/cache/index0/shared_cpu_list", cpu.ToString());
            Write($"{dir}/cache/index1/level", "1");
            Write($"{dir}/cache/index1/type", "Instruction");
            Write($"{dir}/cache/index1/size", "32K");
            Write($"{dir}/cache/index1/shared_cpu_list", cpu.ToString());
            Write($"{dir}/cache/index3/level", "3");
            Write($"{dir}/cache/index3/type", "Unified");
            Write($"{dir}/cache/index3/size", "32768K");
            Write($"{dir}/cache/index3/shared_cpu_list", pkg == 0 ? "0-1" : "2-3");
        }
        Write("sys/devices/system/node/node0/cpulist", "0-1");
        Write("sys/devices/system/node/node0/distance", "10 21");
        Write("sys/devices/system/node/node1/cpulist", "2-3");
        Write("sys/devices/system/node/node1/distance", "21 10");
        Write("proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 2400.000");
    }

    [Fact]
    public void A_two_socket_host_becomes_two_linked_packages_with_a_shared_L3_and_its_clock()
    {
        TwoSocketHost();
        var reading = HostTopology.Read(ModelCatalog.Load("amd-2x2"), _root);
        var m = reading.Model;
        Assert.Equal([[0, 1], [2, 3]], m.Packages.Select(p => p.Dies.Single().Cores.ToArray()).ToArray());
        Assert.Equal([(1, 48, CacheSharing.Core), (3, 32768, CacheSharing.Package)], m.Caches.Select(c => (c.Level, c.SizeKiB, c.SharedBy)).ToArray());
        Assert.Equal([(0, 1)], m.Links);
        Assert.Equal(2.4, m.ClockGHz);
        var t = new Topology(m);
        Assert.Equal(["shared", "one-hop"], t.RepresentativePaths(0).Select(p => p.Path.Name).ToArray());
        // What ModelWriter writes, ModelParser reads back as a valid model.
        var back = ModelParser.Parse(ModelWriter.ToJson(m), "host.json");
        Assert.Equal(m.CoreCount, back.CoreCount);
    }

    [Fact]
    public void Without_cache_information_no_shared_cache_is_modeled_and_the_note_says_so()
    {
        Write("sys/devices/system/cpu/online", "0-1");
        var reading = HostTopology.Read(ModelCatalog.Load("amd-2x2"), _root);
        Assert.Empty(reading.Model.Caches);
        Assert.Contains(reading.Notes, n => n.Contains("no cache information"));
        Assert.Contains(reading.Notes, n => n.Contains("cpu MHz"));
    }

    [Fact]
    public void The_real_host_reads_as_a_valid_model_with_one_core_per_online_cpu()
    {
        if (!OperatingSystem.IsLinux()) return; // sysfs is Linux's
        var m = HostTopology.Read(ModelCatalog.Load("amd-2x2")).Model;
        Assert.Equal(HostTopology.ParseList(File.ReadAllText("/sys/devices/system/cpu/online")).Count, m.CoreCount);
    }

    [Fact]
    public void Cpu_lists_parse_ranges_and_singles() => Assert.Equal([0, 1, 2, 3, 8, 10, 11], HostTopology.ParseList("0-3,8,10-11\n"));
}
