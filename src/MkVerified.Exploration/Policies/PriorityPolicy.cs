using MkVerified.Runtime;

namespace MkVerified.Exploration.Policies;

/// <summary>
/// <c>pct</c> (probabilistic concurrency testing, Burckhardt et al. 2010): at the start of an iteration each core gets
/// a random priority and <see cref="ChangePoints"/> scheduling points are drawn in the first <c>horizon</c> (the scenario's length in picks);
/// the highest-priority runnable core always runs, and at a change point the core about to run drops to the lowest
/// priority. Finds bugs of depth d+1 with probability at least 1/(n k^d).
/// </summary>
public sealed class PriorityPolicy : IPickPolicy
{
    public const int ChangePoints = 3;

    private readonly int[] _priority; // by slot; higher runs first
    private readonly Dictionary<int, int> _slotOf = []; // core id -> slot, in order of first appearance
    private readonly HashSet<int> _changeAt = [];
    private int _lowest;
    private int _picks;

    public PriorityPolicy(ChoiceSource choices, int cores, int horizon, int changePoints = ChangePoints)
    {
        // A random permutation of 0..cores-1 as priorities (Fisher-Yates with controlled draws).
        _priority = Enumerable.Range(0, cores).ToArray();
        for (var i = cores - 1; i > 0; i--)
        {
            var j = choices.Next(i + 1);
            (_priority[i], _priority[j]) = (_priority[j], _priority[i]);
        }
        for (var i = 0; i < changePoints; i++) _changeAt.Add(choices.Next(horizon));
    }

    public int Pick(ReadOnlySpan<int> candidates, int current)
    {
        foreach (var core in candidates) SlotOf(core); // new cores take slots in ascending id order
        var best = 0;
        for (var i = 1; i < candidates.Length; i++)
            if (PriorityOf(candidates[i]) > PriorityOf(candidates[best])) best = i;
        if (_changeAt.Contains(_picks++))
        {
            _priority[SlotOf(candidates[best])] = --_lowest;
            best = 0;
            for (var i = 1; i < candidates.Length; i++)
                if (PriorityOf(candidates[i]) > PriorityOf(candidates[best])) best = i;
        }
        return best;
    }

    private int PriorityOf(int core) => _priority[SlotOf(core)];

    // Scenarios need not use cores 0..n-1 (shootdown and agreement spread theirs over packages), so priorities are
    // drawn for n slots and a core takes the next free slot when it first shows up as a candidate (candidates come in
    // ascending order, so a scenario on cores 0..n-1 that starts them together keeps core i in slot i).
    private int SlotOf(int core)
    {
        if (_slotOf.TryGetValue(core, out var slot)) return slot;
        if (_slotOf.Count == _priority.Length)
            throw new InvalidOperationException($"pct drew priorities for {_priority.Length} cores but core {core} is one more");
        slot = _slotOf.Count;
        _slotOf[core] = slot;
        return slot;
    }
}
