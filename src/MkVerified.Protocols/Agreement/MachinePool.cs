namespace MkVerified.Protocols.Agreement;

/// <summary>
/// Configured agreement machines kept for reuse, by variant. Configuring a Stateless machine reflects over every
/// action and guard delegate (Stateless records their method names), which made building the machines of a node the
/// largest single cost of an explored agreement run; a machine whose run ended cleanly is rebound to the next
/// agreement's record and host instead. Shared by every thread (Coyote runs each iteration on a new one).
/// </summary>
internal sealed class MachinePool<TMachine> where TMachine : class
{
    /// <summary>Enough for the largest runs' machines of one kind; more are left to the collector.</summary>
    private const int Capacity = 4096;

    private readonly Stack<TMachine>[] _free = Enum.GetValues<AgreementVariant>().Select(_ => new Stack<TMachine>()).ToArray();

    public TMachine? Take(AgreementVariant variant)
    {
        var free = _free[(int)variant];
        lock (free) return free.TryPop(out var machine) ? machine : null;
    }

    public void Give(AgreementVariant variant, TMachine machine)
    {
        var free = _free[(int)variant];
        lock (free)
            if (free.Count < Capacity) free.Push(machine);
    }
}
