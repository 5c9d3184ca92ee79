namespace MkVerified.Cli;

/// <summary>Bad input from the user (unknown experiment, bad option value): one line, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException() { }
    public UsageException(string message) : base(message) { }
    public UsageException(string message, Exception inner) : base(message, inner) { }
}
