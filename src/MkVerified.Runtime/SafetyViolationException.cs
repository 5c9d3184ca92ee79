using System.Runtime.CompilerServices;

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

    /// <summary>
    /// The same check with an interpolated message, which is formatted (its arguments evaluated) only when the check
    /// fails: checks run at every protocol step of every explored schedule, so an eagerly built message was most of
    /// what they cost.
    /// </summary>
    public static void Check(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessage message)
    {
        if (!condition) throw new SafetyViolationException(message.ToStringAndClear());
    }
}

/// <summary>Builds a check's message only when the check failed (see <see cref="SafetyViolationException.Check(bool, ref FailureMessage)"/>).</summary>
[InterpolatedStringHandler]
public ref struct FailureMessage
{
    private DefaultInterpolatedStringHandler _text;

    public FailureMessage(int literalLength, int formattedCount, bool condition, out bool failed)
    {
        failed = !condition;
        _text = failed ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    public string ToStringAndClear() => _text.ToStringAndClear();
}
