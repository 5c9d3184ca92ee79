using MkVerified.Kernel.Monitor;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// A coordinating core's workload: start its operations in order, keeping at most <c>window</c> agreements in flight.
/// An operation whose agreement aborts for a lock conflict is retried as a new agreement (a fresh instance id, so the
/// ledger sees a new agreement) that keeps the operation's ticket, so it grows older relative to every operation started
/// after it and eventually outranks all it meets (spec/agreement.md, "Why every operation ends"). Retries are unbounded
/// unless a budget <c>maxRetries</c> is given; an operation that uses it up gives up, saying so. The retry waits until
/// this core's own lock on the object is free: the winner of a conflict that shares this core holds the lock here until
/// it is applied here, so the retry does not run straight into the same winner. The wait is an event on the core, not
/// a number of cycles, so it holds under every schedule.
/// Operations come from a list, or from a stream (a function of the sequence number that returns null when the stream
/// ends; it is asked again each time the window has room, so it may end on a condition of the environment).
/// </summary>
public sealed class AgreementWorkload : ILocalWork
{
    private readonly AgreementHandler _handler;
    private readonly Func<int, AgreementSpec?> _source;
    private readonly int _window;
    private readonly int? _maxRetries;
    private readonly List<(AgreementSpec Spec, int Attempt)> _retries = [];
    private readonly Dictionary<long, int> _attemptOf = [];
    private readonly bool _isStream;
    private int _next;
    private int _count;
    private bool _sourceEnded;
    private int _nextSequence;

    public AgreementWorkload(AgreementHandler handler, IReadOnlyList<AgreementSpec> agreements, int window, int? maxRetries)
        : this(handler, i => i < agreements.Count ? agreements[i] : null, window, maxRetries, isStream: false)
    {
        _count = agreements.Count;
        _sourceEnded = agreements.Count == 0;
        _nextSequence = agreements.Count == 0 ? 0 : (int)(agreements.Max(a => a.Instance & 0xFFFFFFFF) + 1);
    }

    /// <summary>A stream: <paramref name="next"/> gets a free sequence number of this coordinator and returns the next operation (or null: the stream ended).</summary>
    public AgreementWorkload(AgreementHandler handler, Func<int, AgreementSpec?> next, int window, int? maxRetries)
        : this(handler, next, window, maxRetries, isStream: true)
    {
    }

    private AgreementWorkload(AgreementHandler handler, Func<int, AgreementSpec?> source, int window, int? maxRetries, bool isStream)
    {
        if (maxRetries < 0) throw new ArgumentOutOfRangeException(nameof(maxRetries), "a retry budget cannot be negative");
        _handler = handler;
        _source = source;
        _window = window;
        _maxRetries = maxRetries;
        _isStream = isStream;
        handler.Completed += OnCompleted;
    }

    public bool Pending => !_sourceEnded || _retries.Count > 0;

    /// <summary>Operations that gave up: aborted for a conflict with the retry budget used, or aborted for another reason.</summary>
    public List<AgreementResult> GaveUp { get; } = [];

    /// <summary>Operations started (first attempts).</summary>
    public int Started => _next;

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
        if (_sourceEnded) return false;
        var op = _source(_isStream ? _nextSequence : _next);
        if (op is null || (!_isStream && _next >= _count))
        {
            _sourceEnded = true;
            return false;
        }
        if (_isStream) _nextSequence++;
        _next++;
        if (!_isStream && _next >= _count) _sourceEnded = true;
        _handler.Start(op, clock, outbox);
        return true;
    }

    private void OnCompleted(AgreementResult result)
    {
        if (result.Committed) return;
        var attempt = _attemptOf.GetValueOrDefault(result.Spec.Instance);
        if (result.ConflictWith < 0 || attempt >= _maxRetries)
        {
            GaveUp.Add(result);
            _handler.Ledger?.GaveUp(result.Spec.Instance, result.ConflictWith < 0 ? result.Reason : $"{result.Reason}; gave up: retry budget of {attempt} used");
            return;
        }
        var retry = result.Spec with { Instance = AgreementSpec.InstanceId(result.Spec.Root, _nextSequence++) };
        _handler.Ledger?.Retried(result.Spec.Instance, retry.Instance);
        _retries.Add((retry, attempt + 1));
    }
}
