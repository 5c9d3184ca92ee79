using MkVerified.Kernel.Caps;

namespace MkVerified.Protocols.Capabilities;

/// <summary>The owner's side of each operation: lock, run the operation's machine, unlock, answer.</summary>
public sealed partial class CapsService
{
    private readonly Dictionary<long, CopyCoordinator> _copies = [];
    private readonly HashSet<CapKey> _copyLocked = [];
    private readonly HashSet<CapKey> _retypeLocked = [];
    private readonly Dictionary<long, RetypeCoordinator> _retypes = [];
    private readonly Dictionary<long, DeleteCoordinator> _deletes = [];
    private readonly Dictionary<long, RevokeCoordinator> _revokes = [];
    private readonly Dictionary<long, (CapKey Source, CapKey Child, int Owner)> _pendingChildren = [];
    private readonly List<(long Op, int From, CapKey Key)> _deferredMarks = [];

    /// <summary>The owner's state of <paramref name="key"/> if this core owns it and it is free, else null (the caller answers Retry).</summary>
    private KeyState? Ownable(CapKey key, bool ignoreBusy = false) =>
        _table.State(key) is { } s && s.Owner == _core && (ignoreBusy || !s.Busy) ? s : null;

    private void Finish(long op, int requester, CapResult result)
    {
        if (requester == _core) _results[op] = result;
        else Send(requester, CapsMessages.Make(CapsMessageType.Reply, op, default, result: result));
    }

    private void Unlock(KeyState state, CapKey key)
    {
        state.Locked = false;
        _copyLocked.Remove(key);
        _retypeLocked.Remove(key);
    }

    /// <summary>Answers Retry to an operation on a capability that is busy (or not owned here); nothing of it is applied.</summary>
    private void Refuse(long op, int requester, CapKey key)
    {
        if (_variant == CapsVariant.BusyRefusalReleasesLock && _table.State(key) is { } s && s.Owner == _core)
            Unlock(s, key); // seeded bug: the failure path releases a lock this operation never took
        Finish(op, requester, CapResult.Retry);
    }

    private void StartCopy(long op, int requester, Capability cap, int dest)
    {
        if (Ownable(cap.Key) is not { } state)
        {
            Refuse(op, requester, cap.Key);
            return;
        }
        if (dest == _core)
        {
            var slot = _table.Insert(cap, _core);
            if (slot >= 0) Charge(slot, write: true);
            Finish(op, requester, slot < 0 ? CapResult.NoSpace : CapResult.Ok);
            return;
        }
        state.Locked = true;
        _copyLocked.Add(cap.Key);
        state.RemoteCopies = true; // before the copy leaves: the bit may be early, never late
        foreach (var ancestor in _table.AncestorsOf(cap.Key))
            if (_table.State(ancestor) is { } a && a.Owner == _core) a.RemoteDescs = true;
        var copy = new CopyCoordinator(
            deliver: () =>
            {
                _observer?.CopySent(cap.Key, dest);
                Send(dest, CapsMessages.Make(CapsMessageType.Deliver, op, cap.Key, cap.Rights, w4: _core));
            },
            done: result =>
            {
                Unlock(state, cap.Key);
                _copies.Remove(op);
                Finish(op, requester, result);
            });
        _copies[op] = copy;
        MachineTrace.Attach(copy.Machine, CapsMachines.Copy, _network.Emulation, _core);
        copy.Start();
    }

    private void StartRetype(long op, int requester, CapKey key, CapKey child)
    {
        if (Ownable(key) is not { } state)
        {
            Refuse(op, requester, key);
            return;
        }
        state.Locked = true;
        if (requester != _core) _retypeLocked.Add(key); // locked until the requester confirms the child exists
        ChargeScan();
        var askOthers = state.RemoteDescs && _variant != CapsVariant.RetypeSkipsRemoteDescendantCheck;
        var retype = new RetypeCoordinator(_others.Count, askOthers,
            query: () => Broadcast(CapsMessages.Make(CapsMessageType.Query, op, key, w4: child.Base, w5: child.Size)),
            approve: () =>
            {
                if (requester == _core)
                {
                    CreateChild(key, child);
                    return true;
                }
                state.RemoteDescs = true; // before the requester creates the descendant
                Send(requester, CapsMessages.Make(CapsMessageType.Reply, op, default, result: CapResult.Ok));
                return false;
            },
            done: result =>
            {
                _retypes.Remove(op);
                if (result == CapResult.Ok || _variant != CapsVariant.LockLeakOnPartialFailure) Unlock(state, key);
                if (requester == _core) _results[op] = result;
                else if (result != CapResult.Ok) Finish(op, requester, result);
            });
        _retypes[op] = retype;
        MachineTrace.Attach(retype.Machine, CapsMachines.Retype, _network.Emulation, _core);
        retype.Start(_table.HasDescendant(key, child.Base, child.Size));
    }

    private void CreateChild(CapKey source, CapKey child)
    {
        _observer?.Creating(_core, source, child);
        var slot = _table.Insert(new Capability(child, CapRights.All), _core);
        if (slot < 0) throw new InvalidOperationException($"core {_core}: no slot for a retype that reserved one");
        Charge(slot, write: true);
    }

    private void StartDeleteLast(long op, CapKey key, int slot)
    {
        var state = _table.State(key)!;
        state.Locked = true;
        state.InDelete = true;
        ChargeScan();
        if (_others.Count == 0 || !(state.RemoteCopies || state.RemoteDescs))
        {
            LastCopy(op, key, slot, _table.HasDescendant(key, key.Base, key.Size));
            return;
        }
        var delete = new DeleteCoordinator(_others.Count,
            query: () => Broadcast(CapsMessages.Make(CapsMessageType.Query, op, key, w4: key.Base, w5: key.Size, w6: 1)),
            move: holder =>
            {
                state.Owner = holder; // ownership travels in the message: nobody holds it meanwhile
                _observer?.OwnershipSent(key);
                var descs = state.RemoteDescs || _table.HasDescendant(key, key.Base, key.Size);
                Send(holder, CapsMessages.Make(CapsMessageType.Move, op, key, w4: descs ? 1 : 0));
            },
            last: descendants => LastCopy(op, key, slot, descendants || _table.HasDescendant(key, key.Base, key.Size)),
            moved: () =>
            {
                _deletes.Remove(op);
                _table.Remove(slot);
                Charge(slot, write: true);
                _results[op] = CapResult.Ok;
            });
        _deletes[op] = delete;
        MachineTrace.Attach(delete.Machine, CapsMachines.Delete, _network.Emulation, _core);
        delete.Start();
    }

    /// <summary>No copy remains elsewhere: run the type's cleanup (RAM goes back unless descendants still hold it) and drop.</summary>
    private void LastCopy(long op, CapKey key, int slot, bool descendants)
    {
        _deletes.Remove(op);
        _table.Remove(slot);
        Charge(slot, write: true);
        if (!descendants && key.Type == CapType.Ram) Cleanup(key);
        _results[op] = CapResult.Ok;
    }

    private void Cleanup(CapKey ram)
    {
        if (_memoryServer.Core == _core) ReturnRam(ram);
        else Send(_memoryServer.Core, CapsMessages.Make(CapsMessageType.RamFree, 0, ram));
    }

    private void ReturnRam(CapKey ram)
    {
        _observer?.RamReturned(_core, ram);
        _memoryServer.Return(ram);
    }

    private void StartRevoke(long op, int requester, CapKey key, int survivorSlot)
    {
        if (Ownable(key, ignoreBusy: _variant == CapsVariant.RevokeIgnoresLock) is not { } state)
        {
            Refuse(op, requester, key);
            return;
        }
        state.Locked = true;
        ChargeScan();
        MarkRelated(key);
        var revoke = new RevokeCoordinator(_others.Count,
            sweep: () =>
            {
                Broadcast(CapsMessages.Make(CapsMessageType.Sweep, op, key, w4: requester, w5: survivorSlot));
                SweepLocal(key, requester, survivorSlot);
                if (requester != _core) _observer?.OwnershipSent(key); // our copies are gone: ownership goes to the survivor
            },
            done: () =>
            {
                _revokes.Remove(op);
                if (requester == _core)
                {
                    Revoked(key, survivorSlot);
                    _results[op] = CapResult.Ok;
                }
                else
                {
                    Send(requester, CapsMessages.Make(CapsMessageType.RevokeDone, op, key, w4: survivorSlot));
                }
            });
        _revokes[op] = revoke;
        MachineTrace.Attach(revoke.Machine, CapsMachines.Revoke, _network.Emulation, _core);
        Broadcast(CapsMessages.Make(CapsMessageType.Mark, op, key));
        if (RelatedLocked(key, except: key)) _deferredMarks.Add((op, _core, key));
        else revoke.MarkAcked();
    }

    /// <summary>The survivor of a revoke is the only copy left and has no descendants: exact bits, unmarked, unlocked, owned here.</summary>
    private void Revoked(CapKey key, int slot)
    {
        if (_table.State(key) is { } s)
        {
            s.Owner = _core;
            s.RemoteCopies = false;
            s.RemoteDescs = false;
            s.Marked = false;
            Unlock(s, key);
        }
        _observer?.RevokeCompleted(_core, slot, key);
    }

    private void MarkRelated(CapKey key)
    {
        foreach (var (k, s) in _table.States)
            if (k.IsRelatedTo(key)) s.Marked = true;
    }

    /// <summary>Whether an operation this core owns is still in progress on a copy or descendant of <paramref name="key"/>.</summary>
    private bool RelatedLocked(CapKey key, CapKey? except = null) =>
        _table.States.Any(x => x.State.Locked && x.Key.IsRelatedTo(key) && x.Key != except
            && !(_variant == CapsVariant.RevokeIgnoresInflightCopy && _copyLocked.Contains(x.Key))
            && !(_variant == CapsVariant.MarkIgnoresRetypeInProgress && _retypeLocked.Contains(x.Key)));

    private void SweepLocal(CapKey key, int survivorCore, int survivorSlot)
    {
        ChargeScan();
        foreach (var slot in _table.RelatedSlots(key))
        {
            if (survivorCore == _core && slot == survivorSlot) continue;
            _table.Remove(slot);
            Charge(slot, write: true);
        }
    }

    /// <summary>Acks the marks that waited for an operation in progress here, once none is left on the revoked tree.</summary>
    private void ReleaseDeferredMarks()
    {
        for (var i = _deferredMarks.Count - 1; i >= 0; i--)
        {
            var (op, from, key) = _deferredMarks[i];
            if (RelatedLocked(key, from == _core ? key : null)) continue;
            _deferredMarks.RemoveAt(i);
            if (from == _core) _revokes[op].MarkAcked();
            else Send(from, CapsMessages.Make(CapsMessageType.MarkAck, op, key));
        }
    }
}
