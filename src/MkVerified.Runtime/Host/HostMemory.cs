using System.Runtime.InteropServices;

namespace MkVerified.Runtime.Host;

/// <summary>
/// The threads backend's shared memory: the emulation's words copied into a pinned block whose lines start on real
/// 64-byte boundaries (one modeled line = one host cache line), and copied back after the run so checkers can peek.
/// </summary>
internal sealed class HostMemory
{
    private const int LineBytes = SharedMemory.WordsPerLine * sizeof(long);

    public long[] Block { get; private set; } = [];

    /// <summary>Index in <see cref="Block"/> of word 0, the first word on a 64-byte boundary.</summary>
    public int Offset { get; private set; }

    public void CopyIn(ReadOnlySpan<long> words)
    {
        if (Block.Length < words.Length + SharedMemory.WordsPerLine)
        {
            Block = GC.AllocateArray<long>(words.Length + SharedMemory.WordsPerLine, pinned: true);
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(Block, 0).ToInt64();
            Offset = (int)((LineBytes - address % LineBytes) % LineBytes / sizeof(long));
        }
        words.CopyTo(Block.AsSpan(Offset));
    }

    public void CopyOut(Span<long> words) => Block.AsSpan(Offset, words.Length).CopyTo(words);
}
