namespace MkVerified.Hardware;

/// <summary>
/// One cycle parameter of a model file: the section and name it has there, how to read it from a model and how to set
/// it in a copy. <see cref="Fittable"/> marks those a calibration may move (the others come from published costs).
/// </summary>
public sealed record ModelParameter(string Section, string Name, bool Fittable, Func<MachineModel, int> Get, Func<MachineModel, int, MachineModel> Set)
{
    /// <summary>The parameter's path in the file, as error messages name it (<c>costs.trap</c>).</summary>
    public string Path => $"{Section}.{Name}";
}

/// <summary>
/// The cycle parameters of a machine model, in file order: the one list the parser, the writer and the fit share, so a
/// parameter is added in one place.
/// </summary>
public static class ModelParameters
{
    public const string Costs = "costs";
    public const string Coherence = "coherence";

    public static IReadOnlyList<ModelParameter> All { get; } =
    [
        Cost("cacheHit", false, m => m.Costs.CacheHit, (m, v) => m with { Costs = m.Costs with { CacheHit = v } }),
        Cost("sharedCacheTransfer", true, m => m.Costs.SharedCacheTransfer, (m, v) => m with { Costs = m.Costs with { SharedCacheTransfer = v } }),
        Cost("sameDieTransfer", true, m => m.Costs.SameDieTransfer, (m, v) => m with { Costs = m.Costs with { SameDieTransfer = v } }),
        Cost("crossDieTransfer", true, m => m.Costs.CrossDieTransfer, (m, v) => m with { Costs = m.Costs with { CrossDieTransfer = v } }),
        Cost("memory", false, m => m.Costs.Memory, (m, v) => m with { Costs = m.Costs with { Memory = v } }),
        Cost("messageSend", true, m => m.Costs.MessageSend, (m, v) => m with { Costs = m.Costs with { MessageSend = v } }),
        Cost("messageReceive", true, m => m.Costs.MessageReceive, (m, v) => m with { Costs = m.Costs with { MessageReceive = v } }),
        Cost("ipiSend", false, m => m.Costs.IpiSend, (m, v) => m with { Costs = m.Costs with { IpiSend = v } }),
        Cost("trap", false, m => m.Costs.Trap, (m, v) => m with { Costs = m.Costs with { Trap = v } }),
        Cost("tlbInvalidate", false, m => m.Costs.TlbInvalidate, (m, v) => m with { Costs = m.Costs with { TlbInvalidate = v } }),
        Cost("localRpc", false, m => m.Costs.LocalRpc, (m, v) => m with { Costs = m.Costs with { LocalRpc = v } }),
        Interconnect("linkLatency", true, m => m.Coherence.LinkLatency, (m, v) => m with { Coherence = m.Coherence with { LinkLatency = v } }),
        Interconnect("controlOccupancy", false, m => m.Coherence.ControlOccupancy, (m, v) => m with { Coherence = m.Coherence with { ControlOccupancy = v } }),
        Interconnect("dataOccupancy", false, m => m.Coherence.DataOccupancy, (m, v) => m with { Coherence = m.Coherence with { DataOccupancy = v } }),
        Interconnect("engineLatency", true, m => m.Coherence.EngineLatency, (m, v) => m with { Coherence = m.Coherence with { EngineLatency = v } }),
        Interconnect("homeOccupancy", true, m => m.Coherence.HomeOccupancy, (m, v) => m with { Coherence = m.Coherence with { HomeOccupancy = v } }),
        Interconnect("probeOccupancy", true, m => m.Coherence.ProbeOccupancy, (m, v) => m with { Coherence = m.Coherence with { ProbeOccupancy = v } }),
        Interconnect("onChipOccupancy", true, m => m.Coherence.OnChipOccupancy, (m, v) => m with { Coherence = m.Coherence with { OnChipOccupancy = v } }),
    ];

    /// <summary>The parameters of one section (<see cref="Costs"/> or <see cref="Coherence"/>), in file order.</summary>
    public static IEnumerable<ModelParameter> In(string section) => All.Where(p => p.Section == section);

    /// <summary>The parameter called <paramref name="name"/> in its section, or null.</summary>
    public static ModelParameter? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private static ModelParameter Cost(string name, bool fittable, Func<MachineModel, int> get, Func<MachineModel, int, MachineModel> set) =>
        new(Costs, name, fittable, get, set);

    private static ModelParameter Interconnect(string name, bool fittable, Func<MachineModel, int> get, Func<MachineModel, int, MachineModel> set) =>
        new(Coherence, name, fittable, get, set);
}
