namespace MkVerified.Experiments;

/// <summary>Every experiment that exists, in the order <c>mk run</c> runs them. Adding an experiment = one line here.</summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new UrpcExperiment(),
        new SharedVsMessagesExperiment(),
        new TwoPhaseCommitExperiment(),
        new TlbShootdownExperiment(),
        new UnmapExperiment(),
        new CapsExperiment(),
    ];

    public static IExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
