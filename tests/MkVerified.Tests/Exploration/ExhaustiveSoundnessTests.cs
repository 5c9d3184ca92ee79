using MkVerified.Exploration;
using MkVerified.Exploration.Exhaustive;
using MkVerified.Runtime;

namespace MkVerified.Tests.Exploration;

/// <summary>
/// The reductions under a preemption bound reach exactly the outcomes plain depth-first search reaches with the same
/// bound, on seeded random three-core programs (reads, writes computed from what was read, atomic adds, a spin-wait on
/// a flag). This is the guard of the preemption-bounded DPOR: a reduction that drops a schedule within the bound drops
/// an outcome on some of these programs (sleep sets under a bound, a conservative point at the last free switch instead
/// of where the preempted core was switched in, and skipping that point when the race looked covered by a core over
/// the bound all did). Unbounded (small programs only): sleep sets and DPOR.
/// </summary>
public sealed class ExhaustiveSoundnessTests
{
    private enum Op { Read, Write, Add, AwaitFlag }

    /// <summary>A random program: per core a few operations on three lines; the outcome is every value read plus the final memory.</summary>
    private sealed class RandomProgram : IScenario
    {
        private const int Lines = 3;
        private readonly (Op Op, int Line, long Value)[][] _code;

        public RandomProgram(int seed)
        {
            var random = new Random(seed);
            var waiter = random.Next(4) - 1; // -1: no core waits; otherwise this core begins by waiting for line 0 to be non-zero
            var flagSetter = (waiter + 1 + random.Next(2)) % 3; // a core that never waits sets the flag (so no run deadlocks)
            _code = new (Op, int, long)[3][];
            for (var core = 0; core < 3; core++)
            {
                var ops = new List<(Op, int, long)>();
                if (core == waiter) ops.Add((Op.AwaitFlag, 0, 0));
                var n = 2 + random.Next(2);
                for (var k = 0; k < n; k++)
                {
                    var op = (Op)random.Next(3);
                    ops.Add((op, random.Next(Lines), 1 + random.Next(3)));
                }
                if (waiter >= 0 && core == flagSetter) ops.Insert(random.Next(ops.Count + 1), (Op.Write, 0, 7));
                _code[core] = [.. ops];
            }
        }

        public int Operations => _code.Sum(ops => ops.Length);
        public HashSet<string> Outcomes { get; } = [];
        public string Name => "random-program";
        public string Description => "test";
        public IReadOnlyList<ScenarioVariant> Variants => [new("only", "-")];
        public string DefaultMachine => "amd-2x2";
        public int DefaultCores => 3;
        public override string ToString() => string.Join(" | ", _code.Select(ops => string.Join(" ", ops.Select(o => $"{o.Op}({o.Line},{o.Value})"))));

        public RunOutcome Run(Emulation emulation, string variant, int cores)
        {
            var lines = Enumerable.Range(0, Lines).Select(l => emulation.Memory.Allocate(8, l % 2)).ToArray();
            var seen = new List<long>[3];
            for (var core = 0; core < 3; core++)
            {
                var code = _code[core];
                var log = seen[core] = [];
                emulation.Start(core, async ctx =>
                {
                    long last = 0;
                    foreach (var (op, line, value) in code)
                        switch (op)
                        {
                            case Op.Read:
                                log.Add(last = await ctx.Read(lines[line]));
                                break;
                            case Op.Write:
                                await ctx.Write(lines[line], value == 7 ? 7 : last * 10 + value);
                                break;
                            case Op.Add:
                                log.Add(last = await ctx.AtomicAdd(lines[line], value));
                                break;
                            case Op.AwaitFlag:
                                while ((last = await ctx.Read(lines[0])) == 0) await ctx.WaitForWrite(SharedMemory.LineOf(lines[0]), idle: false, "flag");
                                log.Add(last);
                                break;
                        }
                });
            }
            var outcome = emulation.Run(10_000);
            if (emulation.Observer is not null && outcome.Ended) // not the validation dry run
                Outcomes.Add(string.Join(" / ", seen.Select(s => string.Join(",", s))) + " mem " + string.Join(",", lines.Select(emulation.Memory.Peek)));
            return outcome;
        }
    }

    private static (HashSet<string> Outcomes, ExhaustiveResult Result) Search(int seed, int? bound, Reduction reduction)
    {
        var program = new RandomProgram(seed);
        var r = ExhaustiveRunner.Run(new ExplorationRequest(program, "only", "amd-2x2", 3, Strategies.Exhaustive, 1, 0),
            new ExhaustiveOptions { PreemptionBound = bound, Reduction = reduction }, out _);
        Assert.True(r.Complete, $"seed {seed}, bound {bound}, {reduction}: not complete ({r.BugMessage})");
        return (program.Outcomes, r);
    }

    public static TheoryData<int?> Bounds() => [0, 1, 2, null];

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Dpor_and_sleep_sets_reach_every_outcome_plain_dfs_reaches_within_the_same_preemption_bound(int? bound)
    {
        long plainSchedules = 0, dporSchedules = 0;
        // Seed 244 lost an outcome at bound 0 until a race already "covered" by a core over the bound at its decision
        // still got its conservative point (found with 250 seeds at bounds 0-3, which then all passed).
        foreach (var seed in Enumerable.Range(0, 40).Append(244))
        {
            if (bound is null && new RandomProgram(seed).Operations > 7) continue; // unbounded plain DFS: small programs only
            var (plain, plainRun) = Search(seed, bound, Reduction.None);
            var (sleep, _) = Search(seed, bound, Reduction.Sleep);
            var (dpor, dporRun) = Search(seed, bound, Reduction.Dpor);
            var program = new RandomProgram(seed).ToString();
            Assert.True(plain.SetEquals(sleep) && plain.SetEquals(dpor), $"seed {seed} ({program}), bound {bound}: sleep sets missed [{string.Join("; ", plain.Except(sleep))}], dpor missed [{string.Join("; ", plain.Except(dpor))}]");
            plainSchedules += plainRun.Schedules;
            dporSchedules += dporRun.Schedules - dporRun.SleepBlocked;
        }
        Assert.True(dporSchedules < plainSchedules, $"dpor ran {dporSchedules} schedules, plain dfs {plainSchedules}");
    }
}
