namespace MkVerified.Cli;

/// <summary>Progress goes to stderr (stdout stays clean for tables and JSON); silent when stderr is redirected in CI.</summary>
public static class Progress
{
    public static void ToStderr(string step)
    {
        if (Console.IsErrorRedirected) return;
        Console.Error.Write($"\r\u001b[K… {step}");
    }

    public static void Done()
    {
        if (!Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K");
    }
}
