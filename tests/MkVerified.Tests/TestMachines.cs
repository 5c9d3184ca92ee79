using MkVerified.Hardware;

namespace MkVerified.Tests;

/// <summary>Topologies built once per test run (models are immutable).</summary>
public static class TestMachines
{
    private static readonly Dictionary<string, Topology> Cache = [];

    public static Topology Get(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var t)) Cache[name] = t = new Topology(ModelCatalog.Load(name));
            return t;
        }
    }
}
