using MkVerified.Runtime;

namespace MkVerified.Protocols.Agreement;

/// <summary>
/// Aggregates the replies (votes or acks) of one tree node: its own and one per child, each child counted once.
/// The seeded aggregation bugs live here, switched on by <see cref="AgreementVariant"/> for forwarders only.
/// </summary>
public sealed class ReplyTally
{
    private readonly IReadOnlyList<int> _children;
    private readonly bool[] _replied;
    private readonly bool _forwardsEarly;
    private readonly bool _lastSlotOnly;
    private Reply _own;
    // No no-voter yet: the default Reply would name core 0 and agreement 0.0 as the first refusal.
    private Reply _sum = new(0, 0, -1, -1);
    private Reply _last;

    public ReplyTally(IReadOnlyList<int> children, AgreementVariant variant, bool isForwarder)
    {
        _children = children;
        _replied = new bool[children.Count];
        _forwardsEarly = isForwarder && variant == AgreementVariant.AggregatorForwardsEarly;
        _lastSlotOnly = isForwarder && variant == AgreementVariant.LostVoteDoubleCount;
    }

    public bool OwnIn { get; private set; }
    public int ChildReplies { get; private set; }

    /// <summary>True once a child's reply said yes with no no (what a first-yes coordinator acts on).</summary>
    public bool AnyChildYes { get; private set; }

    public bool OwnYes => OwnIn && _own.No == 0;

    /// <summary>Every reply is in (with the forwards-early bug: the node's own and any one child's).</summary>
    public bool Complete => OwnIn && (_forwardsEarly ? ChildReplies >= Math.Min(1, _children.Count) : ChildReplies == _children.Count);

    public void AddOwn(Reply reply)
    {
        if (OwnIn) throw new InvalidOperationException("a node's own reply was counted twice");
        OwnIn = true;
        _own = reply;
    }

    public void AddChild(int child, Reply reply, string what)
    {
        var index = IndexOf(child);
        SafetyViolationException.Check(index >= 0, $"{what} from core {child}, which is not a child here");
        SafetyViolationException.Check(!_replied[index], $"core {child} sent a second {what}");
        _replied[index] = true;
        ChildReplies++;
        if (reply.Yes > 0 && reply.No == 0) AnyChildYes = true;
        _last = reply;
        _sum = Add(_sum, reply);
    }

    /// <summary>The subtree's reply: own plus children (with the one-slot bug: own plus the last reply once per child).</summary>
    public Reply Total
    {
        get
        {
            if (!_lastSlotOnly) return Add(_own, _sum);
            var n = ChildReplies;
            return Add(_own, new Reply(_last.Yes * n, _last.No * n, _last.FirstNo, _last.BlockedBy));
        }
    }

    private int IndexOf(int child)
    {
        for (var i = 0; i < _children.Count; i++)
            if (_children[i] == child) return i;
        return -1;
    }

    private static Reply Add(Reply a, Reply b) =>
        new(a.Yes + b.Yes, a.No + b.No, a.FirstNo >= 0 ? a.FirstNo : b.FirstNo, a.FirstNo >= 0 ? a.BlockedBy : b.BlockedBy);
}
