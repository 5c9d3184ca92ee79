using FsCheck;
using FsCheck.Fluent;
using MkVerified.Runtime;

namespace MkVerified.Tests.Properties;

/// <summary>The cycle scheduler's ordering rule under random start clocks and local work: accesses happen in (clock, core id) order.</summary>
public class SchedulerOrderProperties
{
    /// <summary>One core's plan: start cycle, then for each access the local cycles spent before it and whether it writes the shared line.</summary>
    public sealed record CorePlan(int Start, (int Gap, bool Shared)[] Accesses)
    {
        public override string ToString() => $"start {Start}: {string.Join(" ", Accesses.Select(a => $"{a.Gap}{(a.Shared ? "S" : "")}"))}";
    }

    private static readonly Gen<CorePlan[]> Plans =
        from cores in Gen.Choose(2, 16)
        from plans in Gen.ArrayOf(
            from start in Gen.Choose(0, 1000)
            from accesses in Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 300), Gen.Elements(false, true)))
            select new CorePlan(start, accesses), cores)
        select plans;

    [Fact]
    public void Every_access_starts_in_clock_order_with_ties_to_the_lower_core_id() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true), Prop.ForAll(Arb.From(Plans), plans =>
        {
            var e = new Emulation(TestMachines.Get("amd-4x4"));
            var shared = e.Memory.Allocate(8, 0);
            var order = new List<(long Clock, int Core)>();
            for (var c = 0; c < plans.Length; c++)
            {
                var plan = plans[c];
                var own = e.Memory.Allocate(8, e.Topology.PackageOf(c));
                e.Start(c, async ctx =>
                {
                    foreach (var (gap, toShared) in plan.Accesses)
                    {
                        ctx.Compute(gap);
                        var startedAt = ctx.Clock;
                        if (toShared) await ctx.Write(shared, startedAt);
                        else await ctx.Read(own);
                        order.Add((startedAt, ctx.Id)); // appended before any other core runs: order = access order
                    }
                }, plan.Start);
            }
            var completed = e.RunWithin(100_000).Status == RunStatus.Completed;
            var sorted = order.Zip(order.Skip(1)).All(p => p.First.Clock < p.Second.Clock || (p.First.Clock == p.Second.Clock && p.First.Core <= p.Second.Core));
            return completed.Label("run completes").And(sorted.Label($"accesses in (clock, id) order: {string.Join(" ", order)}"));
        }));
}
