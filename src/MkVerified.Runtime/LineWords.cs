using System.Runtime.CompilerServices;

namespace MkVerified.Runtime;

/// <summary>The eight 64-bit words of one cache line, by value (no allocation).</summary>
[InlineArray(SharedMemory.WordsPerLine)]
public struct LineWords
{
    private long _first;
}
