using System.Numerics;

namespace MkVerified.Kernel.Caps;

/// <summary>
/// An immutable set of core ids, a bitset of 64-bit words. Where Barrelfish keeps one bit per relation kind ("some
/// other core"), a capability's owner here keeps which cores, so an operation messages those cores only. Cores 0..63
/// live in one inline word, so the sets of machines up to 64 cores allocate nothing; higher cores go to further words.
/// </summary>
public readonly struct CoreSet : IEquatable<CoreSet>
{
    private const int WordBits = 64;

    private readonly ulong _low;
    private readonly ulong[]? _high; // words 1.. (cores 64..), never changed once built; null or without trailing zero words

    private CoreSet(ulong low, ulong[]? high)
    {
        _low = low;
        _high = high;
    }

    public static CoreSet Empty => default;

    public static CoreSet Of(int core) => Empty.With(core);

    /// <summary>The set whose word i holds cores 64 i .. 64 i + 63 (the wire form, see <see cref="Word"/>).</summary>
    public static CoreSet FromWords(IReadOnlyList<ulong> words) =>
        words.Count == 0 ? Empty : new CoreSet(words[0], Trimmed(words.Skip(1).ToArray()));

    public bool IsEmpty => _low == 0 && _high is null;

    public int Count
    {
        get
        {
            var n = BitOperations.PopCount(_low);
            foreach (var w in _high ?? []) n += BitOperations.PopCount(w);
            return n;
        }
    }

    /// <summary>How many 64-bit words the set needs: 1 up to the word holding its highest core.</summary>
    public int WordCount => 1 + (_high?.Length ?? 0);

    /// <summary>Word <paramref name="index"/>: cores 64 index .. 64 index + 63, bit b for core 64 index + b (0 beyond the set).</summary>
    public ulong Word(int index) =>
        index == 0 ? _low : _high is { } high && index >= 1 && index <= high.Length ? high[index - 1] : 0;

    public bool Contains(int core) => core >= 0 && (Word(core / WordBits) & Bit(core)) != 0;

    public CoreSet With(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        if (core < WordBits) return new CoreSet(_low | Bit(core), _high);
        var index = core / WordBits;
        var high = new ulong[Math.Max(_high?.Length ?? 0, index)];
        _high?.CopyTo(high, 0);
        high[index - 1] |= Bit(core);
        return new CoreSet(_low, high);
    }

    public CoreSet Without(int core)
    {
        if (!Contains(core)) return this;
        if (core < WordBits) return new CoreSet(_low & ~Bit(core), _high);
        var high = (ulong[])_high!.Clone();
        high[core / WordBits - 1] &= ~Bit(core);
        return new CoreSet(_low, Trimmed(high));
    }

    public CoreSet Union(CoreSet other)
    {
        if (other._high is null) return new CoreSet(_low | other._low, _high);
        if (_high is null) return new CoreSet(_low | other._low, other._high);
        var high = new ulong[Math.Max(_high.Length, other._high.Length)];
        for (var i = 0; i < high.Length; i++) high[i] = Word(i + 1) | other.Word(i + 1);
        return new CoreSet(_low | other._low, high);
    }

    /// <summary>The cores in ascending order.</summary>
    public IEnumerable<int> Cores()
    {
        for (var i = 0; i < WordCount; i++)
            for (var m = Word(i); m != 0; m &= m - 1) yield return i * WordBits + BitOperations.TrailingZeroCount(m);
    }

    public bool Equals(CoreSet other)
    {
        if (_low != other._low || WordCount != other.WordCount) return false;
        for (var i = 1; i < WordCount; i++)
            if (Word(i) != other.Word(i)) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is CoreSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < WordCount; i++) hash.Add(Word(i));
        return hash.ToHashCode();
    }

    public static bool operator ==(CoreSet left, CoreSet right) => left.Equals(right);
    public static bool operator !=(CoreSet left, CoreSet right) => !left.Equals(right);

    public override string ToString() => "[" + string.Join(",", Cores()) + "]";

    private static ulong Bit(int core) => 1UL << (core % WordBits);

    // Trailing zero words dropped, so equal sets have equal word counts (and a set's words travel in as few messages as possible).
    private static ulong[]? Trimmed(ulong[] high)
    {
        var length = high.Length;
        while (length > 0 && high[length - 1] == 0) length--;
        return length == 0 ? null : length == high.Length ? high : high[..length];
    }
}
