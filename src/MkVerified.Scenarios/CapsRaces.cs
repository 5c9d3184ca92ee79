using MkVerified.Kernel.Caps;
using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>The races of PROTOCOLS.md §3 that are covered, each with the seeded variant that breaks its step.</summary>
public static class CapsRaces
{
    private const long Page = RetypeRules.PageSize;

    /// <summary>The core's monitor serves the others for a moment before its application acts.</summary>
    private static async CoreTask<CapResult> Serve(Protocols.Capabilities.CapsService service, CoreContext ctx)
    {
        await service.ServeOnceAsync(ctx);
        return CapResult.Ok;
    }

    public static IReadOnlyList<CapsRace> All { get; } =
    [
        new("revoke-vs-copy", "core 0 revokes a RAM capability (after serving the others twice, so the copy can register first) while core 1 copies a descendant Frame of it to core 2", "revoke-ignores-inflight-copy",
            rig =>
            {
                var (ram, ramSlot) = rig.NewRam(0);
                var frame = new CapKey(CapType.Frame, ram.Base, Page);
                var frameSlot = rig.Place(1, frame, owner: 1);
                return new Dictionary<int, CapsOperation[]>
                {
                    [0] = [Serve, Serve, (s, ctx) => s.RevokeAsync(ctx, ramSlot)],
                    [1] = [(s, ctx) => s.CopyAsync(ctx, frameSlot, 2)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[0][^1] == CapResult.Ok, $"the revoke answered {results[0][^1]}")),
        new("concurrent-retype", "cores 1 and 2 retype the same page of their copies of one RAM capability at once", "retype-skips-remote-descendant-check",
            rig =>
            {
                var (ram, _) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                var s2 = rig.Place(2, ram, owner: 0);
                return new Dictionary<int, CapsOperation[]>
                {
                    [1] = [(s, ctx) => s.RetypeAsync(ctx, s1, CapType.Frame, 0, Page)],
                    [2] = [(s, ctx) => s.RetypeAsync(ctx, s2, CapType.Frame, 0, 2 * Page)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[1].Concat(results[2]).Count(r => r == CapResult.Ok) == 1,
                $"concurrent retypes answered {results[1][0]} and {results[2][0]}: exactly one must succeed")),
        new("double-delete-last", "the owner (core 0) and core 1 delete the last two copies of a RAM capability at once", "last-copy-double-cleanup",
            rig =>
            {
                var (ram, s0) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                return new Dictionary<int, CapsOperation[]>
                {
                    [0] = [(s, ctx) => s.DeleteAsync(ctx, s0)],
                    [1] = [Serve, Serve, (s, ctx) => s.DeleteAsync(ctx, s1)],
                };
            },
            (rig, results) => SafetyViolationException.Check(rig.MemoryServer.Returned.Count == 1, $"the memory server got {rig.MemoryServer.Returned.Count} returns, not one")),
        new("move-vs-delete", "the owner deletes its copy while core 1, the chosen new owner, deletes its own; core 2 still holds one", "move-ignores-deleted-target",
            rig =>
            {
                var (ram, s0) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                rig.Place(2, ram, owner: 0);
                return new Dictionary<int, CapsOperation[]>
                {
                    [0] = [(s, ctx) => s.DeleteAsync(ctx, s0)],
                    [1] = [Serve, Serve, (s, ctx) => s.DeleteAsync(ctx, s1)],
                };
            },
            (rig, results) => SafetyViolationException.Check(rig.MemoryServer.Returned.Count == 0, "RAM returned while core 2 still holds a copy")),
        new("double-revoke", "cores 1 and 2 revoke their copies of one RAM capability at once", "revoke-ignores-lock",
            rig =>
            {
                var (ram, _) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                var s2 = rig.Place(2, ram, owner: 0);
                return new Dictionary<int, CapsOperation[]>
                {
                    [1] = [(s, ctx) => s.RevokeAsync(ctx, s1)],
                    [2] = [(s, ctx) => s.RevokeAsync(ctx, s2)],
                };
            },
            (rig, results) =>
            {
                var answers = results[1].Concat(results[2]).ToList();
                SafetyViolationException.Check(answers.Count(r => r == CapResult.Ok) == 1 && answers.All(r => r is CapResult.Ok or CapResult.NotFound or CapResult.Retry),
                    $"two revokes answered {answers[0]} and {answers[1]}: exactly one must succeed, the other fail cleanly");
            }),
        new("lock-release", "core 1's retype fails on a descendant that core 2 holds; then core 1 revokes: the failed retype must have released its lock", "lock-leak-on-partial-failure",
            rig =>
            {
                var (ram, _) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                rig.Place(2, new CapKey(CapType.Frame, ram.Base, Page), owner: 2);
                return new Dictionary<int, CapsOperation[]>
                {
                    [1] = [(s, ctx) => s.RetypeAsync(ctx, s1, CapType.CNode, 0, Page), (s, ctx) => s.RevokeAsync(ctx, s1)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[1][1] == CapResult.Ok, $"the revoke after a failed retype answered {results[1][1]}")),
        new("revoke-vs-retype", "core 0 revokes a RAM capability while core 2 retypes its copy of a Frame of it that core 3 owns (core 1 holds a sub-Frame, so core 3 must ask the others before approving)", "mark-ignores-retype-in-progress",
            rig =>
            {
                var (ram, ramSlot) = rig.NewRam(0);
                var frame = new CapKey(CapType.Frame, ram.Base, 2 * Page);
                rig.Place(3, frame, owner: 3);
                var frameSlot = rig.Place(2, frame, owner: 3);
                rig.Place(1, new CapKey(CapType.Frame, ram.Base + Page, Page), owner: 1);
                return new Dictionary<int, CapsOperation[]>
                {
                    [0] = [(s, ctx) => s.RevokeAsync(ctx, ramSlot)],
                    [2] = [(s, ctx) => s.RetypeAsync(ctx, frameSlot, CapType.Frame, 0, Page)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[0][0] == CapResult.Ok && results[2][0] is CapResult.Ok or CapResult.Retry or CapResult.NotFound,
                $"revoke answered {results[0][0]}, the racing retype {results[2][0]}")),
        new("busy-op", "cores 1 and 2 retype overlapping pages of their copies while core 3 holds a Frame of the RAM: one retype finds it locked and must get Retry, nothing else", "busy-refusal-releases-lock",
            rig =>
            {
                var (ram, _) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                var s2 = rig.Place(2, ram, owner: 0);
                rig.Place(3, new CapKey(CapType.Frame, ram.Base, Page), owner: 3);
                return new Dictionary<int, CapsOperation[]>
                {
                    [1] = [(s, ctx) => s.RetypeAsync(ctx, s1, CapType.Frame, 2 * Page, Page)],
                    [2] = [(s, ctx) => s.RetypeAsync(ctx, s2, CapType.CNode, 2 * Page, Page)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[1].Concat(results[2]).Count(r => r == CapResult.Ok) == 1,
                $"retypes of one locked capability answered {results[1][0]} and {results[2][0]}: exactly one must succeed")),
        new("copy-vs-last-delete", "the owner (core 0) copies a RAM capability to core 1 while core 1 deletes its only copy of it (and tells the owner it released it)", "release-drops-inflight-copy",
            rig =>
            {
                var (ram, s0) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                return new Dictionary<int, CapsOperation[]>
                {
                    [0] = [(s, ctx) => s.CopyAsync(ctx, s0, 1)],
                    [1] = [(s, ctx) => s.DeleteAsync(ctx, s1)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[0][0] == CapResult.Ok && results[1][0] == CapResult.Ok,
                $"the copy answered {results[0][0]}, the delete {results[1][0]}")),
        new("retrieve-vs-revoke", "core 2 asks the owner (core 0) for ownership of a RAM capability while core 1 revokes its copy of it (core 3 holds one too)", "retrieve-ignores-revoke",
            rig =>
            {
                var (ram, _) = rig.NewRam(0);
                var s1 = rig.Place(1, ram, owner: 0);
                var s2 = rig.Place(2, ram, owner: 0);
                rig.Place(3, ram, owner: 0);
                return new Dictionary<int, CapsOperation[]>
                {
                    [1] = [(s, ctx) => s.RevokeAsync(ctx, s1)],
                    [2] = [(s, ctx) => s.RetrieveAsync(ctx, s2)],
                };
            },
            // The revoke may run out of retries only while the retrieve's hand-over keeps the owner busy (a schedule that
            // starves core 1 through all of them: "Retry can starve", spec/capabilities.md); then the retrieve succeeded.
            (rig, results) => SafetyViolationException.Check(
                (results[1][0] == CapResult.Ok || (results[1][0] == CapResult.Retry && results[2][0] == CapResult.Ok))
                && results[2][0] is CapResult.Ok or CapResult.NotFound or CapResult.Retry,
                $"the revoke answered {results[1][0]}, the racing retrieve {results[2][0]}")),
        new("retrieve-vs-copy", "core 2 asks the owner (core 0) for ownership of a RAM capability while core 1 copies a Frame retyped from it to core 3 (both serve the others twice first): the copy's registration may reach core 2 before it owns the RAM and core 0 only after it handed over", "retrieve-drops-early-registration",
            rig =>
            {
                var (ram, _) = rig.NewRam(0);
                var ramSlot = rig.Place(2, ram, owner: 0);
                var frameSlot = rig.Place(1, new CapKey(CapType.Frame, ram.Base, Page), owner: 1);
                return new Dictionary<int, CapsOperation[]>
                {
                    [1] = [Serve, Serve, (s, ctx) => s.CopyAsync(ctx, frameSlot, 3)],
                    [2] = [Serve, Serve, (s, ctx) => s.RetrieveAsync(ctx, ramSlot)],
                };
            },
            (rig, results) => SafetyViolationException.Check(results[1][^1] is CapResult.Ok or CapResult.Retry && results[2][^1] == CapResult.Ok,
                $"the copy answered {results[1][^1]}, the racing retrieve {results[2][^1]}")),
    ];
}
