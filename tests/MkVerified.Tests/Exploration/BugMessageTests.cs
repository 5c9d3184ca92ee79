using MkVerified.Exploration;
using MkVerified.Runtime;

namespace MkVerified.Tests.Exploration;

/// <summary>A failed check's message reaches the report as written, braces included (Coyote treats its assert text as a format string).</summary>
public class BugMessageTests
{
    private sealed class BracedCheckScenario : IScenario
    {
        public const string Message = "core set {1, 2} disagrees with {0}";
        public string Name => "test-braces";
        public string Description => "a check whose message holds braces";
        public IReadOnlyList<ScenarioVariant> Variants { get; } = [new("fails", "the check always fails")];
        public string DefaultMachine => "amd-2x2";
        public int DefaultCores => 2;

        public RunOutcome Run(Emulation emulation, string variant, int cores)
        {
            var line = emulation.Memory.Allocate(8, 0);
            emulation.Start(0, async ctx =>
            {
                await ctx.Write(line, 1);
                if (variant != IScenario.Correct) throw new SafetyViolationException(Message);
            });
            return emulation.Run(maxSteps: 100);
        }
    }

    [Fact]
    public void A_check_message_with_braces_is_reported_verbatim()
    {
        var result = ExplorationRunner.Run(new ExplorationRequest(new BracedCheckScenario(), "fails", "amd-2x2", 2, Strategies.Random, 3, 0));
        Assert.True(result.FoundBug);
        Assert.Contains(BracedCheckScenario.Message, result.BugMessage);
    }
}
