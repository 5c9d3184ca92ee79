using System.Numerics;

namespace MkVerified.Kernel.Caps;

/// <summary>
/// A set of core ids below 64 as one machine word, so a relation set fits into one word of a URPC message. Where
/// Barrelfish keeps one bit per relation kind ("some other core"), a capability's owner here keeps which cores, so an
/// operation messages those cores only.
/// </summary>
public readonly record struct CoreSet(ulong Mask)
{
    public const int Limit = 64;

    public static CoreSet Empty => default;

    public static CoreSet Of(int core) => Empty.With(core);

    public bool IsEmpty => Mask == 0;

    public int Count => BitOperations.PopCount(Mask);

    public bool Contains(int core) => core is >= 0 and < Limit && (Mask & (1UL << core)) != 0;

    public CoreSet With(int core) => core is >= 0 and < Limit ? new(Mask | (1UL << core)) : throw new ArgumentOutOfRangeException(nameof(core), $"core {core}: relation sets hold cores below {Limit}");

    public CoreSet Without(int core) => core is >= 0 and < Limit ? new(Mask & ~(1UL << core)) : this;

    public CoreSet Union(CoreSet other) => new(Mask | other.Mask);

    /// <summary>The cores in ascending order.</summary>
    public IEnumerable<int> Cores()
    {
        for (var m = Mask; m != 0; m &= m - 1) yield return BitOperations.TrailingZeroCount(m);
    }

    public override string ToString() => "[" + string.Join(",", Cores()) + "]";
}
