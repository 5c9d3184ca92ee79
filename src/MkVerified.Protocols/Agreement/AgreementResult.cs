namespace MkVerified.Protocols.Agreement;

/// <summary>How one agreement ended, seen by its coordinator: the outcome, why it aborted, and when (coordinator cycles).</summary>
public sealed record AgreementResult(AgreementSpec Spec, bool Committed, string Reason, long StartCycle, long DecidedCycle, long EndCycle)
{
    /// <summary>On an abort for a lock conflict: the agreement that held the lock (else -1).</summary>
    public long ConflictWith { get; init; } = -1;

    public long LatencyCycles => EndCycle - StartCycle;
}
