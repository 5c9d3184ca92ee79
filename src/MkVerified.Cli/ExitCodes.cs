namespace MkVerified.Cli;

/// <summary>The exit codes scripts rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A bug was found (explore) or an internal failure.</summary>
    public const int Failure = 1;
    /// <summary>Bad input: a malformed model, an unknown name, a bad option, a corrupt file.</summary>
    public const int BadInput = 2;
    /// <summary>A replayed trace did not reproduce its bug.</summary>
    public const int NotReproduced = 3;
}
