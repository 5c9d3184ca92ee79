namespace MkVerified.Hardware;

/// <summary>A machine model that cannot be used; the message names the file and what is wrong, on one line.</summary>
public sealed class ModelException : Exception
{
    public ModelException(string source, string problem) : base($"{source}: {problem}")
    {
        Source = source;
        Problem = problem;
    }

    public new string Source { get; }
    public string Problem { get; }

    public ModelException() : this("<model>", "invalid") { }
    public ModelException(string message) : this("<model>", message) { }
    public ModelException(string message, Exception inner) : base(message, inner) { Source = "<model>"; Problem = message; }
}
