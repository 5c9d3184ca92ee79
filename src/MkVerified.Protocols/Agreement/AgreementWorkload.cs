using MkVerified.Kernel.Monitor;

namespace MkVerified.Protocols.Agreement;

/// <summary>A coordinating core's workload: start its agreements in order, keeping at most <c>window</c> in flight.</summary>
public sealed class AgreementWorkload(AgreementHandler handler, IReadOnlyList<AgreementSpec> agreements, int window) : ILocalWork
{
    private int _next;

    public bool Pending => _next < agreements.Count;

    public bool TryStep(long clock, Outbox outbox)
    {
        if (_next >= agreements.Count || handler.InFlight >= window) return false;
        handler.Start(agreements[_next++], clock, outbox);
        return true;
    }
}
