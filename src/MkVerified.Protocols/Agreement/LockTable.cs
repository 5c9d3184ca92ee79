namespace MkVerified.Protocols.Agreement;

/// <summary>One core's object locks: which agreement holds each object here. Private to the core's monitor.</summary>
public sealed class LockTable
{
    private readonly Dictionary<long, long> _holders = [];

    /// <summary>Called after every change (a checker reads the table from other cores, so exploration must see it change).</summary>
    internal Action? Changed { get; set; }

    public int Count => _holders.Count;

    public IEnumerable<KeyValuePair<long, long>> Held => _holders;

    /// <summary>The agreement holding <paramref name="obj"/>, or -1.</summary>
    public long HolderOf(long obj) => _holders.TryGetValue(obj, out var i) ? i : -1;

    public void Take(long obj, long instance)
    {
        if (!_holders.TryAdd(obj, instance))
            throw new InvalidOperationException($"object {obj} is already locked by agreement {AgreementSpec.Describe(_holders[obj])}");
        Changed?.Invoke();
    }

    public void Release(long obj, long instance)
    {
        if (HolderOf(obj) == instance && _holders.Remove(obj)) Changed?.Invoke();
    }
}
