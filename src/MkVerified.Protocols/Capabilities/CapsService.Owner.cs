using MkVerified.Kernel.Caps;

namespace MkVerified.Protocols.Capabilities;

/// <summary>The owner's side of each operation: lock, run the operation's machine, unlock, answer.</summary>
public sealed partial class CapsService
{
    private readonly Dictionary<long, CopyCoordinator> _copies = [];
    private readonly HashSet<CapKey> _copyLocked = [];
    private readonly HashSet<(CapKey Key, int Dest)> _copiesInFlight = [];
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
        _copiesInFlight.Add((cap.Key, dest));
        // before the copy leaves: the sets may name the destination early, never late
        state.CopyHolders = state.CopyHolders.With(dest);
        foreach (var ancestor in _table.AncestorsOf(cap.Key)) // owned here or not: see RecordDescendantHolder
            if (_table.State(ancestor) is { } a) a.DescHolders = a.DescHolders.With(dest);
        // the destination will hold ancestors as remote ones if this core holds any, or if this core's copy has them
        var remoteAncestors = state.RemoteAncestors || _table.AncestorsOf(cap.Key).Any();
        var copy = new CopyCoordinator(state.RemoteAncestors ? _others.Count : 0,
            register: () => SendTo(_others, CapsMessages.Make(CapsMessageType.RelationAdd, op, cap.Key, w4: dest)),
            deliver: () =>
            {
                _observer?.CopySent(cap.Key, dest);
                Send(dest, CapsMessages.Make(CapsMessageType.Deliver, op, cap.Key, cap.Rights, w4: _core, w5: remoteAncestors ? 1 : 0));
            },
            done: result =>
            {
                Unlock(state, cap.Key);
                _copies.Remove(op);
                _copiesInFlight.Remove((cap.Key, dest));
                Finish(op, requester, result);
            });
        _copies[op] = copy;
        MachineTrace.Attach(copy.Machine, CapsMachines.Copy, _network.Emulation, _core);
        copy.Start();
    }

    /// <summary>
    /// A copy of a descendant of objects held here is going to <paramref name="dest"/>: record it in the descendant
    /// holders of the ancestors held here, unless one of them is busy (its owner may be changing, or a revoke is
    /// running): then the copy must not happen now. A non-owner records it too, because it may be about to become the
    /// owner (a retrieve or move in flight) while the old owner sees this registration only after handing over: the new
    /// owner keeps what it recorded (<see cref="TakenDescHolders"/>), so one of the two always counts the holder.
    /// </summary>
    private bool RecordDescendantHolder(CapKey key, int dest)
    {
        var ancestors = _table.AncestorsOf(key).Select(a => _table.State(a)!).ToList();
        if (ancestors.Any(a => a.Busy)) return false;
        foreach (var a in ancestors)
            if (dest != _core) a.DescHolders = a.DescHolders.With(dest);
        return true;
    }

    /// <summary>The descendant holders a new owner starts with: the old owner's, plus the registrations it recorded before it owned the object.</summary>
    private CoreSet TakenDescHolders(KeyState state, CoreSet handed) =>
        _variant == CapsVariant.RetrieveDropsEarlyRegistration ? handed : handed.Union(state.DescHolders); // seeded bug: the early ones are forgotten

    /// <summary>A copy holder released its last copy: stop counting it as a holder, unless a copy to it is still in flight.</summary>
    private void Release(CapKey key, int holder)
    {
        if (_table.State(key) is not { } state || state.Owner != _core) return; // ownership moved on: the new owner's set stays a superset
        if (_copiesInFlight.Contains((key, holder)) && _variant != CapsVariant.ReleaseDropsInflightCopy) return;
        state.CopyHolders = state.CopyHolders.Without(holder);
    }

    /// <summary>Ownership of <paramref name="key"/> leaves this core: the descendants held here now have an ancestor owned elsewhere.</summary>
    private void AncestorLeaves(CapKey key)
    {
        foreach (var (k, s) in _table.States)
            if (k.IsDescendantOf(key)) s.RemoteAncestors = true;
    }

    /// <summary>The descendant holders a new owner takes over: the old owner's set, plus the old owner if it keeps descendants.</summary>
    private CoreSet HandedDescHolders(KeyState state, CapKey key) =>
        _table.HasDescendant(key, key.Base, key.Size) ? state.DescHolders.With(_core) : state.DescHolders;

    /// <summary>A non-owner asks for ownership: hand it over with the relation sets (Retry while busy).</summary>
    private void StartRetrieve(long op, int requester, CapKey key)
    {
        if (Ownable(key, ignoreBusy: _variant == CapsVariant.RetrieveIgnoresRevoke) is not { } state)
        {
            Refuse(op, requester, key);
            return;
        }
        state.Owner = requester; // ownership travels in the reply: nobody holds it meanwhile
        state.HandingOver = true; // until the new owner's update: a copy of a descendant must not register here
        AncestorLeaves(key);
        _observer?.OwnershipSent(key);
        var copies = state.CopyHolders.With(_core).Without(requester);
        var descs = HandedDescHolders(state, key).Without(requester);
        Send(requester, CapsMessages.WithSets(CapsMessageType.RetrieveReply, op, key, copies, descs));
    }

    /// <summary>The requester's side of a granted retrieve: own the object (unless a revoke swept it meanwhile) and tell the copy holders.</summary>
    private void Retrieved(long op, CapKey key, CoreSet copies, CoreSet descs)
    {
        _observer?.OwnershipReceived(key);
        var state = _table.State(key);
        if (state is not null)
        {
            state.Owner = _core;
            state.CopyHolders = copies;
            state.DescHolders = TakenDescHolders(state, descs);
            SendTo(copies, CapsMessages.Make(CapsMessageType.OwnerUpdate, 0, key, w4: _core));
        }
        _results[op] = state is null ? CapResult.NotFound : CapResult.Ok;
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
        var asked = state.DescHolders; // only cores that may hold descendants can hold an overlapping one
        var askOthers = !asked.IsEmpty && _variant != CapsVariant.RetypeSkipsRemoteDescendantCheck;
        var retype = new RetypeCoordinator(asked.Count, askOthers,
            query: () => SendTo(asked, CapsMessages.Make(CapsMessageType.Query, op, key, w4: child.Base, w5: child.Size)),
            approve: () =>
            {
                if (requester == _core)
                {
                    CreateChild(key, child);
                    return true;
                }
                state.DescHolders = state.DescHolders.With(requester); // before the requester creates the descendant
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
        var sourceState = _table.State(source);
        var slot = _table.Insert(new Capability(child, CapRights.All), _core);
        if (slot < 0) throw new InvalidOperationException($"core {_core}: no slot for a retype that reserved one");
        // the child's ancestors are the source and the source's: owned elsewhere if the source is, or has such ancestors
        _table.State(child)!.RemoteAncestors = sourceState is null || sourceState.Owner != _core || sourceState.RemoteAncestors;
        Charge(slot, write: true);
    }

    private void StartDeleteLast(long op, CapKey key, int slot)
    {
        var state = _table.State(key)!;
        state.Locked = true;
        state.InDelete = true;
        ChargeScan();
        var asked = state.Related; // only they may hold copies or descendants
        if (asked.IsEmpty)
        {
            LastCopy(op, key, slot, _table.HasDescendant(key, key.Base, key.Size));
            return;
        }
        var delete = new DeleteCoordinator(asked.Count,
            query: () => SendTo(asked, CapsMessages.Make(CapsMessageType.Query, op, key, w4: key.Base, w5: key.Size, w6: 1)),
            move: holder =>
            {
                state.Owner = holder; // ownership travels in the message: nobody holds it meanwhile
                AncestorLeaves(key);
                _observer?.OwnershipSent(key);
                var copies = state.CopyHolders.Without(holder).With(_core); // our copy goes only once the move is accepted
                var descs = HandedDescHolders(state, key).Without(holder);
                Send(holder, CapsMessages.WithSets(CapsMessageType.Move, op, key, copies, descs));
            },
            last: descendants => LastCopy(op, key, slot, descendants || _table.HasDescendant(key, key.Base, key.Size)),
            moved: () =>
            {
                _deletes.Remove(op);
                _table.Remove(slot);
                Charge(slot, write: true);
                Send(state.Owner, CapsMessages.Make(CapsMessageType.Released, 0, key));
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
        var reached = state.Related; // the cores that may hold copies or descendants: nobody else holds anything related
        var revoke = new RevokeCoordinator(reached.Count,
            sweep: () =>
            {
                SendTo(reached, CapsMessages.Make(CapsMessageType.Sweep, op, key, w4: requester, w5: survivorSlot));
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
        SendTo(reached, CapsMessages.Make(CapsMessageType.Mark, op, key));
        if (RelatedLocked(key, except: key)) _deferredMarks.Add((op, _core, key));
        else revoke.MarkAcked();
    }

    /// <summary>The survivor of a revoke is the only copy left and has no descendants: exact bits, unmarked, unlocked, owned here.</summary>
    private void Revoked(CapKey key, int slot)
    {
        if (_table.State(key) is { } s)
        {
            s.Owner = _core;
            s.CopyHolders = CoreSet.Empty;
            s.DescHolders = CoreSet.Empty;
            s.Marked = false;
            s.HandingOver = false;
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
