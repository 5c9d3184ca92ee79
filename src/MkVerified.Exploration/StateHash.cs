using MkVerified.Runtime;

namespace MkVerified.Exploration;

/// <summary>
/// A hash of the emulated machine's visible state for Coyote's Q-learning: every word of modeled shared memory plus
/// each core's status and what it waits for. Clocks are left out on purpose: they differ on almost every schedule,
/// so including them would make every state new and teach the learner nothing. FNV-1a rather than HashCode, whose
/// per-process seed would make runs with the same seed differ between processes.
/// </summary>
public static class StateHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static int Of(Emulation emulation)
    {
        var h = Offset;
        var words = (long)emulation.Memory.Directory.LineCount * SharedMemory.WordsPerLine;
        for (long a = 0; a < words; a++) h = Mix(h, (ulong)emulation.Memory.Peek(a));
        for (var c = 0; c < emulation.CoreCount; c++)
        {
            var core = emulation.CoreState(c);
            h = Mix(h, (ulong)core.Status);
            foreach (var ch in core.WaitingFor) h = Mix(h, ch);
        }
        return (int)(h ^ (h >> 32));
    }

    private static ulong Mix(ulong h, ulong value) => (h ^ value) * Prime;
}
