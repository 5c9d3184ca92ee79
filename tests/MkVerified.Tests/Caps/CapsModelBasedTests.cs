using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using MkVerified.Scenarios;
using MkVerified.Kernel.Caps;
using MkVerified.Protocols.Capabilities;
using MkVerified.Runtime;

namespace MkVerified.Tests.Caps;

/// <summary>
/// Model-based: random sequences of operations on random cores, each run on the cycle emulator to quiescence, must
/// leave every core's CNode (slot by slot: type, range, rights) and the memory server's returns equal to the
/// sequential reference model's, with every operation answering the same; every holder must name the model's owner,
/// and the owner's relation sets must contain every core the model says holds a copy or a descendant.
/// </summary>
public class CapsModelBasedTests
{
    private const int Cores = 4;
    private static readonly CapType[] Types = [CapType.Frame, CapType.CNode, CapType.PageTable, CapType.Dispatcher, CapType.EndPoint];
    private static int s_operations;
    private static int s_ownershipRetrieved;
    private static int s_copiesWithRemoteAncestors;

    /// <summary>kind (0 copy, 1 retype, 2 delete, 3 revoke, 4 retrieve), core, slot pick, then copy's destination or retype's type/offset/size.</summary>
    public sealed record Op(int Kind, int Core, int Pick, int A, int B, int C)
    {
        public override string ToString() => $"{(new[] { "copy", "retype", "delete", "revoke", "retrieve" })[Kind]}(core {Core}, pick {Pick}, {A}, {B}, {C})";
    }

    private static Gen<Op> OpGen =>
        from kind in Gen.Frequency((3, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)), (2, Gen.Constant(4)))
        from core in Gen.Choose(0, Cores - 1)
        from pick in Gen.Choose(0, 7)
        from a in Gen.Choose(0, Cores - 1)
        from b in Gen.Choose(0, 3)
        from c in Gen.Choose(0, 2)
        select new Op(kind, core, pick, a, b, c);

    /// <summary>Runs the sequence on the protocol and on the model; returns the first disagreement or violation, or null.</summary>
    internal static string? Disagreement(IReadOnlyList<Op> ops, CapsVariant variant)
    {
        var topology = TestMachines.Get("amd-4x4");
        var rig = new CapsRig(Cores);
        var model = new ReferenceModel(Cores, rig.Tables[0].Capacity);
        for (var core = 0; core < 2; core++)
        {
            var (ram, slot) = rig.NewRam(core);
            if (model.Install(core, new Capability(ram, CapRights.All)) != slot) return "setup disagrees";
        }
        try
        {
            foreach (var op in ops)
            {
                var occupied = model.OccupiedSlots(op.Core);
                if (occupied.Count == 0) continue;
                var slot = occupied[op.Pick % occupied.Count];
                var picked = model.At(op.Core, slot)!.Value.Key;
                var ownerBefore = model.OwnerOf(picked);
                var remoteAncestor = model.All().Any(x => picked.IsDescendantOf(x.Cap.Key) && model.OwnerOf(x.Cap.Key) != ownerBefore);
                var type = Types[op.A % Types.Length];
                var size = type == CapType.Frame ? RetypeRules.PageSize << op.C : RetypeRules.Unit(type);
                var offset = op.B * RetypeRules.PageSize;
                var expected = op.Kind switch
                {
                    0 => model.Copy(op.Core, slot, op.A, CapRights.All & ~(CapRights)(op.C == 2 ? 2 : 0)),
                    1 => model.Retype(op.Core, slot, type, offset, size),
                    2 => model.Delete(op.Core, slot),
                    3 => model.Revoke(op.Core, slot),
                    _ => model.Retrieve(op.Core, slot),
                };
                var emulation = new Emulation(topology);
                var services = rig.Services(emulation, variant);
                emulation.AfterStep = rig.Ghost.CheckStep;
                CapResult? actual = null;
                for (var c = 0; c < Cores; c++)
                {
                    var service = services[c];
                    if (c == op.Core)
                    {
                        emulation.Start(c, async ctx =>
                        {
                            actual = op.Kind switch
                            {
                                0 => await service.CopyAsync(ctx, slot, op.A, CapRights.All & ~(CapRights)(op.C == 2 ? 2 : 0)),
                                1 => await service.RetypeAsync(ctx, slot, type, offset, size),
                                2 => await service.DeleteAsync(ctx, slot),
                                3 => await service.RevokeAsync(ctx, slot),
                                _ => await service.RetrieveAsync(ctx, slot),
                            };
                            await service.ServeAsync(ctx);
                        });
                    }
                    else emulation.Start(c, service.ServeAsync);
                }
                var outcome = emulation.Run(maxSteps: 200_000);
                s_operations++;
                if (outcome.Status != RunStatus.Quiescent) return $"{op}: run ended {outcome.Status} {outcome.Report}";
                rig.Ghost.CheckEnd();
                if (actual != expected) return $"{op}: protocol answered {actual}, model {expected}";
                if (op.Kind == 4 && ownerBefore != op.Core) s_ownershipRetrieved++;
                if (op.Kind == 0 && op.A != op.Core && expected == CapResult.Ok && remoteAncestor) s_copiesWithRemoteAncestors++;
                for (var c = 0; c < Cores; c++)
                    for (var s = 0; s < rig.Tables[c].Capacity; s++)
                        if (rig.Tables[c][s] != model.At(c, s)) return $"{op}: core {c} slot {s} holds {rig.Tables[c][s]}, model {model.At(c, s)}";
                if (Relations(rig, model) is { } wrong) return $"{op}: {wrong}";
                if (!rig.MemoryServer.Returned.SequenceEqual(model.Returned)) return $"{op}: RAM returned [{string.Join(", ", rig.MemoryServer.Returned)}], model [{string.Join(", ", model.Returned)}]";
            }
        }
        catch (SafetyViolationException e)
        {
            return e.Message;
        }
        return null;
    }

    /// <summary>Ownership and relation sets against the model: the first disagreement, or null.</summary>
    private static string? Relations(CapsRig rig, ReferenceModel model)
    {
        foreach (var key in model.All().Select(x => x.Cap.Key).Distinct())
        {
            var owner = model.OwnerOf(key)!.Value;
            foreach (var (core, _, _) in model.All().Where(x => x.Cap.Key == key))
                if (rig.Tables[core].State(key)!.Owner is var named && named != owner) return $"core {core} names core {named} as the owner of {key}, model {owner}";
            var state = rig.Tables[owner].State(key)!;
            if (model.RemoteCopyHolders(key).FirstOrDefault(c => !state.CopyHolders.Contains(c), -1) is var c1 and >= 0)
                return $"owner {owner} of {key} misses copy holder {c1} (it knows {state.CopyHolders})";
            if (model.RemoteDescendantHolders(key).FirstOrDefault(c => !state.DescHolders.Contains(c), -1) is var c2 and >= 0)
                return $"owner {owner} of {key} misses descendant holder {c2} (it knows {state.DescHolders})";
        }
        return null;
    }

    private static FSharpOption<Replay> Seeded => FSharpOption<Replay>.Some(new Replay(new Rnd(17UL, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None));

    private static Property Agrees(CapsVariant variant) =>
        Prop.ForAll(Gen.ListOf(OpGen).Select(l => l.Take(30).ToList()).ToArbitrary(), ops =>
        {
            var d = Disagreement(ops, variant);
            return d is null ? true.ToProperty() : false.Label(d);
        });

    [Fact]
    public void The_protocol_agrees_with_the_reference_model()
    {
        s_operations = s_ownershipRetrieved = s_copiesWithRemoteAncestors = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150).WithReplay(Seeded), Agrees(CapsVariant.Correct));
        Console.WriteLine($"caps model-based test: {s_operations} operations agreed with the reference model; "
            + $"{s_ownershipRetrieved} retrieves moved ownership, {s_copiesWithRemoteAncestors} copies had an ancestor owned elsewhere");
        Assert.True(s_operations > 500, $"only {s_operations} operations ran");
        // the relation paths must be exercised, not just allowed: ownership changing hands by retrieve, and copies that
        // must register with the owners of their ancestors
        Assert.True(s_ownershipRetrieved > 20, $"only {s_ownershipRetrieved} retrieves moved ownership");
        Assert.True(s_copiesWithRemoteAncestors > 5, $"only {s_copiesWithRemoteAncestors} copies had an ancestor owned elsewhere");
    }

    [Fact]
    public void It_finds_a_seeded_bug_and_shrinks_it()
    {
        var error = Assert.ThrowsAny<Exception>(() =>
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(Seeded), Agrees(CapsVariant.RetypeSkipsRemoteDescendantCheck)));
        Assert.True(error.Message.Contains("Falsifiable"), error.Message);
        Assert.Contains("overlap", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
