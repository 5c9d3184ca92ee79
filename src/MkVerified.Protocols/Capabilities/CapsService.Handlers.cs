using MkVerified.Kernel.Caps;
using MkVerified.Kernel.Monitor;
using MkVerified.Runtime;
using MkVerified.Urpc;

namespace MkVerified.Protocols.Capabilities;

/// <summary>What a monitor does with each capability message it receives.</summary>
public sealed partial class CapsService
{
    // A Move or RetrieveReply whose relation sets still have MoreSets words to come, by sending core (one channel, in order).
    private readonly Dictionary<int, (UrpcMessage First, List<ulong> More, int Words)> _partialSets = [];

    private void Handle(int from, UrpcMessage m)
    {
        var op = m.W0;
        var key = CapsMessages.Key(m);
        switch (CapsMessages.Type(m))
        {
            case CapsMessageType.CopyRequest:
                StartCopy(op, from, new Capability(key, CapsMessages.Rights(m)), (int)m.W4);
                break;
            case CapsMessageType.Deliver:
                _observer?.CopyArrived(key, _core);
                var slot = _table.Insert(new Capability(key, CapsMessages.Rights(m)), (int)m.W4);
                if (slot >= 0)
                {
                    if (m.W5 == 1) _table.State(key)!.RemoteAncestors = true;
                    Charge(slot, write: true);
                }
                Send(from, CapsMessages.Make(CapsMessageType.DeliverAck, op, key, result: slot < 0 ? CapResult.NoSpace : CapResult.Ok));
                break;
            case CapsMessageType.DeliverAck:
                _copies[op].Delivered(CapsMessages.Result(m));
                break;
            case CapsMessageType.Reply:
                Replied(op, CapsMessages.Result(m));
                break;
            case CapsMessageType.RetypeRequest:
                StartRetype(op, from, key, new CapKey((CapType)m.W6, m.W4, m.W5));
                break;
            case CapsMessageType.RetypeDone:
                _retypes[op].ChildCreated();
                break;
            case CapsMessageType.Query:
                ChargeScan();
                var holds = _table.HasCopy(key);
                if (holds && m.W6 == 1) _table.State(key)!.InDelete = true;
                Send(from, CapsMessages.Make(CapsMessageType.QueryReply, op, key, w4: holds ? _core : -1, w5: _table.HasDescendant(key, m.W4, m.W5) ? 1 : 0));
                break;
            case CapsMessageType.QueryReply when _retypes.TryGetValue(op, out var retype):
                retype.Replied(m.W5 == 1);
                break;
            case CapsMessageType.QueryReply:
                _deletes[op].Replied((int)m.W4, m.W5 == 1);
                break;
            case CapsMessageType.Move or CapsMessageType.RetrieveReply when CapsMessages.MoreSetWords(m) > 0:
                SafetyViolationException.Check(_partialSets.TryAdd(from, (m, [], CapsMessages.MoreSetWords(m))),
                    $"core {_core} got {CapsMessages.Type(m)} from core {from} in the middle of another one's relation sets");
                break;
            case CapsMessageType.MoreSets:
                SafetyViolationException.Check(_partialSets.TryGetValue(from, out var partial) && partial.First.W0 == op,
                    $"core {_core} got the rest of relation sets from core {from} for operation {op} without their start");
                for (var k = 1; k <= MonitorMessage.Arguments && partial.More.Count < partial.Words; k++) partial.More.Add((ulong)m[k]);
                if (partial.More.Count < partial.Words) break;
                _partialSets.Remove(from);
                HandOver(from, partial.First, partial.More);
                break;
            case CapsMessageType.Move:
                HandOver(from, m, []);
                break;
            case CapsMessageType.MoveReply:
                if (m.W4 == 1) _deletes[op].MoveAccepted();
                else
                {
                    _observer?.OwnershipReceived(key);
                    _table.State(key)!.Owner = _core;
                    _deletes[op].MoveRefused();
                }
                break;
            case CapsMessageType.OwnerUpdate:
                if (_table.State(key) is { } known)
                {
                    known.Owner = (int)m.W4;
                    known.InDelete = false;
                    known.HandingOver = false;
                }
                break;
            case CapsMessageType.Released:
                Release(key, from);
                break;
            case CapsMessageType.RelationAdd:
                ChargeScan();
                Send(from, CapsMessages.Make(CapsMessageType.RelationAck, op, key, w4: RecordDescendantHolder(key, (int)m.W4) ? 0 : 1));
                break;
            case CapsMessageType.RelationAck:
                _copies[op].Registered(busy: m.W4 == 1);
                break;
            case CapsMessageType.RetrieveRequest:
                StartRetrieve(op, from, key);
                break;
            case CapsMessageType.RetrieveReply:
                HandOver(from, m, []);
                break;
            case CapsMessageType.RamFree:
                ReturnRam(key);
                break;
            case CapsMessageType.RevokeRequest:
                StartRevoke(op, from, key, (int)m.W4);
                break;
            case CapsMessageType.Mark:
                ChargeScan();
                MarkRelated(key);
                if (RelatedLocked(key)) _deferredMarks.Add((op, from, key));
                else Send(from, CapsMessages.Make(CapsMessageType.MarkAck, op, key));
                break;
            case CapsMessageType.MarkAck:
                _revokes[op].MarkAcked();
                break;
            case CapsMessageType.Sweep:
                SweepLocal(key, (int)m.W4, (int)m.W5);
                Send(from, CapsMessages.Make(CapsMessageType.SweepAck, op, key));
                break;
            case CapsMessageType.SweepAck:
                _revokes[op].SweepAcked();
                break;
            case CapsMessageType.RevokeDone:
                _observer?.OwnershipReceived(key);
                Revoked(key, (int)m.W4);
                _results[op] = CapResult.Ok;
                break;
            default:
                throw new InvalidOperationException($"core {_core}: unknown capability message {m} from core {from}");
        }
    }

    /// <summary>A whole Move or RetrieveReply: ownership arrives with the relation sets.</summary>
    private void HandOver(int from, UrpcMessage first, IReadOnlyList<ulong> more)
    {
        var (copies, descs) = CapsMessages.Sets(first, more);
        if (CapsMessages.Type(first) == CapsMessageType.Move) TakeOwnership(from, first.W0, CapsMessages.Key(first), copies, descs);
        else Retrieved(first.W0, CapsMessages.Key(first), copies, descs);
    }

    /// <summary>The requester's side of an answer; an approved retype creates its descendant here and confirms to the owner.</summary>
    private void Replied(long op, CapResult result)
    {
        if (_pendingChildren.Remove(op, out var pending) && result == CapResult.Ok)
        {
            CreateChild(pending.Source, pending.Child);
            Send(pending.Owner, CapsMessages.Make(CapsMessageType.RetypeDone, op, pending.Source));
        }
        _results[op] = result;
    }

    /// <summary>A deleting owner offers ownership with its relation sets: accept only while a copy is still here, and tell the copy holders.</summary>
    private void TakeOwnership(int from, long op, CapKey key, CoreSet copies, CoreSet descs)
    {
        var state = _table.State(key);
        if (state is null && _variant != CapsVariant.MoveIgnoresDeletedTarget)
        {
            Send(from, CapsMessages.Make(CapsMessageType.MoveReply, op, key, w4: 0));
            return;
        }
        _observer?.OwnershipReceived(key);
        if (state is not null)
        {
            state.Owner = _core;
            state.CopyHolders = copies; // the old owner's sets: its own copy goes
            state.DescHolders = TakenDescHolders(state, descs);
            state.InDelete = false;
            SendTo(copies, CapsMessages.Make(CapsMessageType.OwnerUpdate, 0, key, w4: _core));
        }
        Send(from, CapsMessages.Make(CapsMessageType.MoveReply, op, key, w4: 1));
    }
}
