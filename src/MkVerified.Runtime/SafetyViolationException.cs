namespace MkVerified.Runtime;

/// <summary>A protocol guarantee or invariant was broken. Exploration turns it into a found bug; emulation reports it.</summary>
public sealed class SafetyViolationException : Exception
{
    public SafetyViolationException() { }
    public SafetyViolationException(string message) : base(message) { }
    public SafetyViolationException(string message, Exception inner) : base(message, inner) { }

    public static void Check(bool condition, string message)
    {
        if (!condition) throw new SafetyViolationException(message);
    }
}
