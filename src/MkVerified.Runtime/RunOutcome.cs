namespace MkVerified.Runtime;

public enum RunStatus
{
    /// <summary>Every core's body returned.</summary>
    Completed,
    /// <summary>The cores left are all waiting idle in service loops, with nothing pending.</summary>
    Quiescent,
    /// <summary>Some core waits for a write that no runnable core can make.</summary>
    Deadlock,
    /// <summary>The step budget ran out (a livelock, or a budget too small).</summary>
    StepLimit,
    /// <summary>Stopped on request (<see cref="Emulation.RequestStop"/>): an exploration abandoned this schedule.</summary>
    Stopped,
}

/// <summary>How a run ended, with each core's state when it matters.</summary>
public sealed record RunOutcome(RunStatus Status, long Steps, long MaxClock, string Report)
{
    public bool Ended => Status is RunStatus.Completed or RunStatus.Quiescent;
}
