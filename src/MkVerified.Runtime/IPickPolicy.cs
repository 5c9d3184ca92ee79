namespace MkVerified.Runtime;

/// <summary>
/// Chooses which core runs next at a scheduling point, for exploration. The cycle scheduler does not use one:
/// it always runs the core with the lowest clock (ties by id). An exploration policy draws its choices from
/// a controlled generator so that a run can be replayed exactly.
/// </summary>
public interface IPickPolicy
{
    /// <summary>Returns an index into <paramref name="candidates"/> (core ids, ascending; at least two).</summary>
    /// <param name="candidates">Runnable cores.</param>
    /// <param name="current">The core that reached the scheduling point, or -1 when it blocked or finished.</param>
    int Pick(ReadOnlySpan<int> candidates, int current);
}
