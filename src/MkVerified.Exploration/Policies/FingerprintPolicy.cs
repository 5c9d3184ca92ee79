using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>Passes picks through and folds them into a fingerprint: the program is deterministic, so equal pick sequences are equal schedules.</summary>
public sealed class FingerprintPolicy(IPickPolicy inner, List<int>? log = null, List<int>? indexLog = null) : IPickPolicy
{
    private ulong _hash = 14695981039346656037;

    public long Fingerprint => (long)_hash;

    public long Picks { get; private set; }

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        var pick = inner.Pick(candidates, current);
        Picks++;
        log?.Add(candidates[pick]);
        indexLog?.Add(pick);
        _hash = (_hash ^ (ulong)(pick + 1)) * 1099511628211;
        return pick;
    }
}
