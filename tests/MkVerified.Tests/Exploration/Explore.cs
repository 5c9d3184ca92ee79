using MkVerified.Scenarios;
using MkVerified.Exploration;

namespace MkVerified.Tests.Exploration;

/// <summary>Shorthand for the exploration tests: one URPC exploration, and where the repository's traces/ are.</summary>
public static class Explore
{
    public const uint CiBudget = 2000;

    public static ExplorationResult Urpc(string variant, string strategy, uint iterations = CiBudget, uint seed = 0) =>
        ExplorationRunner.Run(new ExplorationRequest(new UrpcScenario(), variant, "amd-2x2", 2, strategy, iterations, seed));

    /// <summary>One exploration of any catalogued scenario on its default machine and cores.</summary>
    public static ExplorationResult Scenario(string scenario, string variant, string strategy, uint iterations = CiBudget, uint seed = 0)
    {
        var s = ScenarioCatalog.Find(scenario) ?? throw new ArgumentException($"no scenario {scenario}");
        return ExplorationRunner.Run(new ExplorationRequest(s, variant, s.DefaultMachine, s.DefaultCores, strategy, iterations, seed));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MkVerified.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("MkVerified.sln not found above the test binaries");
    }

    public static string TracesDirectory => Path.Combine(RepositoryRoot(), "traces");
}
