using MkVerified.Kernel.Caps;
using MkVerified.Protocols.Capabilities;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>
/// The ghost checker of capability replication: it sees every core's CNode plus the copies and ownership in flight,
/// and throws <see cref="SafetyViolationException"/> when a guarantee breaks: exactly one owner per object; the
/// owner's relation sets never miss a core that holds (or is receiving) a copy or a descendant; no two retypes of overlapping memory; nothing
/// of a revoked capability left anywhere (in flight included); RAM returned exactly once; no lock left behind.
/// </summary>
public sealed class CapsGhost(IReadOnlyList<CapTable> tables) : ICapsObserver
{
    private readonly Dictionary<(CapKey, int), int> _inFlight = [];
    private readonly Dictionary<CapKey, int> _ownershipInFlight = [];
    private readonly HashSet<CapKey> _rams = [];
    private readonly Dictionary<CapKey, int> _returns = [];
    private readonly HashSet<CapKey> _retyped = [];

    public void HandedOut(CapKey ram) => _rams.Add(ram);

    private IEnumerable<(int Core, int Slot, CapKey Key)> Live() =>
        tables.SelectMany(t => t.Occupied().Select(o => (t.Core, o.Slot, o.Cap.Key)));

    private IEnumerable<(CapKey Key, int To)> InFlight() => _inFlight.Where(kv => kv.Value > 0).Select(kv => kv.Key);

    public void CopySent(CapKey key, int to) => _inFlight[(key, to)] = _inFlight.GetValueOrDefault((key, to)) + 1;

    public void CopyArrived(CapKey key, int to) => _inFlight[(key, to)]--;

    public void OwnershipSent(CapKey key) => _ownershipInFlight[key] = _ownershipInFlight.GetValueOrDefault(key) + 1;

    public void OwnershipReceived(CapKey key) => _ownershipInFlight[key]--;

    public void Creating(int core, CapKey source, CapKey child)
    {
        foreach (var ram in _rams.Where(r => source.IsRelatedTo(r))) _retyped.Add(ram);
        SafetyViolationException.Check(Live().Any(x => x.Key == source),
            $"core {core} created {child} from {source} after {source} was revoked or deleted on every core");
        foreach (var (c, _, k) in Live().Concat(InFlight().Select(f => (f.To, -1, f.Key))))
            SafetyViolationException.Check(!(k != child && k.IsDescendantOf(source) && k.Overlaps(child.Base, child.Size)),
                $"two retypes of overlapping memory both succeeded: {child} on core {core} overlaps {k} on core {c}");
    }

    public void RamReturned(int core, CapKey ram)
    {
        var n = _returns[ram] = _returns.GetValueOrDefault(ram) + 1;
        SafetyViolationException.Check(n == 1, $"RAM {ram} returned to the memory server {n} times");
        foreach (var (c, _, k) in Live())
            SafetyViolationException.Check(!k.IsRelatedTo(ram), $"RAM {ram} returned while core {c} still holds {k}");
    }

    public void RevokeCompleted(int core, int slot, CapKey key)
    {
        SafetyViolationException.Check(tables[core][slot]?.Key == key, $"the revoke of {key} completed on core {core} but its own copy is gone");
        foreach (var (c, s, k) in Live())
            SafetyViolationException.Check((c, s) == (core, slot) || !k.IsRelatedTo(key), $"after the revoke of {key} completed, core {c} still holds {k}");
        foreach (var (k, to) in InFlight())
            SafetyViolationException.Check(!k.IsRelatedTo(key), $"after the revoke of {key} completed, {k} is still in flight to core {to}");
    }

    /// <summary>Ownership and remote-relation bits; cheap enough to run after every scheduling step of a small scenario.</summary>
    public void CheckStep()
    {
        var live = Live().ToList();
        var flying = InFlight().ToList();
        foreach (var key in live.Select(x => x.Key).Distinct())
        {
            // a revoke sweeping this object: its copies go one core at a time (checked when the revoke completes)
            if (tables.Any(t => t.States.Any(st => st.State.Marked && key.IsRelatedTo(st.Key)))) continue;
            var owners = live.Where(x => x.Key == key).Select(x => x.Core).Distinct().Where(c => tables[c].State(key)!.Owner == c).ToList();
            var moving = _ownershipInFlight.GetValueOrDefault(key);
            SafetyViolationException.Check(owners.Count + moving == 1,
                $"{key} has {owners.Count} owners ({string.Join(", ", owners)}) and {moving} ownership transfers in flight");
            if (moving > 0) continue;
            var owner = owners[0];
            var state = tables[owner].State(key)!;
            foreach (var c in live.Where(x => x.Key == key).Select(x => x.Core).Concat(flying.Where(f => f.Key == key).Select(f => f.To)))
                SafetyViolationException.Check(c == owner || state.CopyHolders.Contains(c),
                    $"owner {owner} of {key} does not count core {c} as a copy holder (its set is {state.CopyHolders}), but core {c} holds or is receiving a copy");
            foreach (var c in live.Where(x => x.Key.IsDescendantOf(key)).Select(x => x.Core).Concat(flying.Where(f => f.Key.IsDescendantOf(key)).Select(f => f.To)))
                SafetyViolationException.Check(c == owner || state.DescHolders.Contains(c),
                    $"owner {owner} of {key} does not count core {c} as a descendant holder (its set is {state.DescHolders}), but core {c} holds or is receiving a descendant");
        }
    }

    /// <summary>At quiescence: no lock, mark or copy left behind, and every RAM region with nothing left of it returned exactly once.</summary>
    public void CheckEnd()
    {
        CheckStep();
        foreach (var t in tables)
            foreach (var (k, s) in t.States)
                SafetyViolationException.Check(!s.Locked && !s.Marked && !s.HandingOver && !(s.InDelete && s.Owner == t.Core),
                    $"{k} is still {(s.Locked ? "locked" : s.Marked ? "marked" : s.HandingOver ? "handing over ownership" : "in delete")} on core {t.Core} after every operation finished");
        SafetyViolationException.Check(!InFlight().Any(), "a copy is still in flight after every operation finished");
        var live = Live().ToList();
        // RAM whose last copy went while descendants held it is not reclaimed (as in the reference model): only never-retyped RAM must come back
        foreach (var ram in _rams.Where(r => !_retyped.Contains(r) && !live.Any(x => x.Key.IsRelatedTo(r))))
            SafetyViolationException.Check(_returns.GetValueOrDefault(ram) == 1, $"RAM {ram} lost: nothing refers to it any more but it was returned {_returns.GetValueOrDefault(ram)} times");
    }
}
