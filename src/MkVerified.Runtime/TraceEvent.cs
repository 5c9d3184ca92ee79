namespace MkVerified.Runtime;

/// <summary>
/// One recorded event of a run: a message sent or received, a protocol transition, a note.
/// <paramref name="Peer"/> is the other core of a message event (-1 otherwise).
/// </summary>
public sealed record TraceEvent(long Step, int Core, long Cycle, string Kind, int Peer, string Detail);
