using MkVerified.Kernel.Monitor;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// A coordinating core's workload: start its operations in order, keeping at most <c>window</c> agreements in flight.
/// An operation whose agreement aborts for a lock conflict is retried as a new agreement (a fresh instance id, so a
/// lower priority than before) up to <c>maxRetries</c> times. The retry waits until this core's own lock on the object
/// is free: the loser of a conflict lost to a higher-priority agreement that, when it shares this core, holds the
/// lock here until it is applied here, so the retry does not run straight into the same winner. The wait is an event
/// on the core, not a number of cycles, so it holds under every schedule.
/// </summary>
public sealed class AgreementWorkload : ILocalWork
{
    private readonly AgreementHandler _handler;
    private readonly IReadOnlyList<AgreementSpec> _agreements;
    private readonly int _window;
    private readonly int _maxRetries;
    private readonly List<(AgreementSpec Spec, int Attempt)> _retries = [];
    private readonly Dictionary<long, int> _attemptOf = [];
    private int _next;
    private int _nextSequence;

    public AgreementWorkload(AgreementHandler handler, IReadOnlyList<AgreementSpec> agreements, int window, int maxRetries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _handler = handler;
        _agreements = agreements;
        _window = window;
        _maxRetries = maxRetries;
        _nextSequence = agreements.Count == 0 ? 0 : (int)(agreements.Max(a => a.Instance & 0xFFFFFFFF) + 1);
        handler.Completed += OnCompleted;
    }

    public bool Pending => _next < _agreements.Count || _retries.Count > 0;

    /// <summary>Operations that gave up: aborted for a conflict with every retry used, or aborted for another reason.</summary>
    public List<AgreementResult> GaveUp { get; } = [];

    public bool TryStep(long clock, Outbox outbox)
    {
        if (_handler.InFlight >= _window) return false;
        for (var i = 0; i < _retries.Count; i++)
        {
            var (spec, attempt) = _retries[i];
            if (_handler.Locks.HolderOf(spec.Object) >= 0) continue;
            _retries.RemoveAt(i);
            _attemptOf[spec.Instance] = attempt;
            _handler.Start(spec, clock, outbox);
            return true;
        }
        if (_next >= _agreements.Count) return false;
        _handler.Start(_agreements[_next++], clock, outbox);
        return true;
    }

    private void OnCompleted(AgreementResult result)
    {
        if (result.Committed) return;
        var attempt = _attemptOf.GetValueOrDefault(result.Spec.Instance);
        if (result.ConflictWith < 0 || attempt >= _maxRetries)
        {
            GaveUp.Add(result);
            _handler.Ledger?.GaveUp(result.Spec.Instance, result.ConflictWith < 0 ? result.Reason : $"{result.Reason}; {attempt} retries used");
            return;
        }
        var retry = result.Spec with { Instance = AgreementSpec.InstanceId(result.Spec.Root, _nextSequence++) };
        _handler.Ledger?.Retried(result.Spec.Instance, retry.Instance);
        _retries.Add((retry, attempt + 1));
    }
}
