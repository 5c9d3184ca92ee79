using MkVerified.Protocols.Agreement;

namespace MkVerified.Tests.Agreement;

/// <summary>The diagrams committed in spec/ are exactly what the machines' code generates (run 'mk spec export' after changing a machine).</summary>
public class DiagramTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MkVerified.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (MkVerified.sln) above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Committed_diagrams_match_the_generated_ones()
    {
        var spec = Path.Combine(RepositoryRoot(), "spec");
        var generated = AgreementDiagrams.Generate();
        Assert.Equal(6, generated.Count);
        foreach (var (file, text) in generated)
        {
            var path = Path.Combine(spec, file);
            Assert.True(File.Exists(path), $"{path} is missing: run 'mk spec export'");
            Assert.True(File.ReadAllText(path) == text, $"{path} differs from what the code generates: run 'mk spec export'");
        }
    }

    [Fact]
    public void The_diagrams_show_every_state_and_the_guards()
    {
        var all = AgreementDiagrams.Generate().ToDictionary(f => f.File, f => f.Text);
        foreach (var state in Enum.GetNames<CoordinatorMachine.State>()) Assert.Contains(state, all["agreement-coordinator.mmd"]);
        foreach (var state in Enum.GetNames<ParticipantMachine.State>()) Assert.Contains(state, all["agreement-participant.dot"]);
        foreach (var state in Enum.GetNames<ForwarderMachine.State>()) Assert.Contains(state, all["agreement-forwarder.dot"]);
        Assert.Contains("every participant voted yes", all["agreement-coordinator.dot"]);
        Assert.Contains("object locked by a higher-priority agreement", all["agreement-participant.mmd"]);
        Assert.Contains("lock granted to a higher-priority waiter", all["agreement-participant.mmd"]);
    }
}
