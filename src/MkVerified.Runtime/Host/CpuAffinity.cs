using System.Runtime.InteropServices;

namespace MkVerified.Runtime.Host;

/// <summary>Linux CPU affinity of the calling thread (sched_getaffinity / sched_setaffinity); elsewhere unavailable.</summary>
public static partial class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs

    /// <summary>The CPUs this thread may run on, ascending; on other systems 0 .. ProcessorCount-1.</summary>
    public static IReadOnlyList<int> Allowed()
    {
        if (!OperatingSystem.IsLinux()) return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        var mask = new ulong[MaskWords];
        if (NativeMethods.sched_getaffinity(0, MaskWords * sizeof(ulong), mask) != 0) return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        var cpus = new List<int>();
        for (var cpu = 0; cpu < MaskWords * 64; cpu++)
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0) cpus.Add(cpu);
        return cpus;
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; null on success, else why not.</summary>
    public static string? PinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux()) return "thread pinning is implemented for Linux only";
        if (cpu < 0 || cpu >= MaskWords * 64) return $"CPU {cpu} is outside the affinity mask";
        var mask = new ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        return NativeMethods.sched_setaffinity(0, MaskWords * sizeof(ulong), mask) == 0 ? null : $"sched_setaffinity(CPU {cpu}) failed with errno {Marshal.GetLastPInvokeError()}";
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        internal static extern int sched_setaffinity(int pid, nint cpusetsize, ulong[] mask);

        [DllImport("libc", SetLastError = true)]
        internal static extern int sched_getaffinity(int pid, nint cpusetsize, ulong[] mask);
    }
}
