namespace MkVerified.Runtime;

/// <summary>
/// The trace-event form of a state-machine transition, so exploration can measure protocol coverage: core code
/// records <c>ctx.Record(TransitionEvent.Kind, -1, TransitionEvent.Detail(machine, state, trigger))</c>.
/// </summary>
public static class TransitionEvent
{
    public const string Kind = "transition";
    private const string Separator = " | ";

    public static string Detail(string machine, string state, string trigger) => string.Join(Separator, machine, state, trigger);

    /// <summary>With the state the transition entered, so coverage sees final states (which no transition leaves).</summary>
    public static string Detail(string machine, string state, string trigger, string destination) =>
        string.Join(Separator, machine, state, trigger, destination);

    /// <summary>The entered state, when the event names one.</summary>
    public static bool TryParseDestination(TraceEvent e, out string destination)
    {
        destination = "";
        if (e.Kind != Kind) return false;
        var parts = e.Detail.Split(Separator);
        if (parts.Length != 4) return false;
        destination = parts[3];
        return true;
    }

    public static bool TryParse(TraceEvent e, out string machine, out string state, out string trigger)
    {
        (machine, state, trigger) = ("", "", "");
        if (e.Kind != Kind) return false;
        var parts = e.Detail.Split(Separator);
        if (parts.Length is not (3 or 4)) return false;
        (machine, state, trigger) = (parts[0], parts[1], parts[2]);
        return true;
    }
}
