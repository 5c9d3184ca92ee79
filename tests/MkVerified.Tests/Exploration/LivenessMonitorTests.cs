using MkVerified.Exploration;
using MkVerified.Runtime;

namespace MkVerified.Tests.Exploration;

/// <summary>The Coyote liveness monitor reports a scenario whose operations never end, and stays quiet when they do.</summary>
public class LivenessMonitorTests
{
    /// <summary>Core 1 waits for a flag that core 0 sets only in the correct variant; in "never-sets", core 0 spins forever.</summary>
    private sealed class FlagScenario : IScenario
    {
        public string Name => "test-flag";
        public string Description => "core 0 sets a flag core 1 spins on";
        public IReadOnlyList<ScenarioVariant> Variants { get; } = [new("never-sets", "core 0 polls forever instead of setting the flag")];
        public string DefaultMachine => "amd-2x2";
        public int DefaultCores => 2;

        public RunOutcome Run(Emulation emulation, string variant, int cores)
        {
            var flag = emulation.Memory.Allocate(8, 0);
            emulation.Start(0, async ctx =>
            {
                if (variant == IScenario.Correct) await ctx.Write(flag, 1);
                else while (true) await ctx.Read(flag + 1); // busy forever: a livelock, not a deadlock
            });
            emulation.Start(1, async ctx =>
            {
                while (await ctx.Read(flag) == 0) { }
            });
            return emulation.Run(maxSteps: 2_000);
        }
    }

    [Fact]
    public void An_operation_that_never_ends_is_a_liveness_bug_in_the_hot_state()
    {
        var result = ExplorationRunner.Run(new ExplorationRequest(new FlagScenario(), "never-sets", "amd-2x2", 2, Strategies.Random, 5, 0));
        Assert.True(result.FoundBug);
        Assert.Contains("detected liveness bug in hot state 'Running'", result.BugMessage);
    }

    [Fact]
    public void Operations_that_end_leave_the_monitor_cold()
    {
        var result = ExplorationRunner.Run(new ExplorationRequest(new FlagScenario(), IScenario.Correct, "amd-2x2", 2, Strategies.Random, 20, 0));
        Assert.False(result.FoundBug, result.BugMessage);
    }
}
