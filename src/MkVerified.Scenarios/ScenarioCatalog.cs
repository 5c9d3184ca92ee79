using MkVerified.Runtime;

namespace MkVerified.Scenarios;

/// <summary>Every checkable scenario, for <c>mk explore</c> and the test suite. Each protocol adds its scenarios here.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new UrpcScenario(),
        new TlbShootdownScenario(),
        new TlbMapUnmapScenario(),
        new TlbDoubleUnmapScenario(),
        new AgreementScenario(),
        new AgreementFairnessScenario(),
        .. CapsRaces.All.Select(r => new CapsScenario(r)),
    ];

    public static IScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
