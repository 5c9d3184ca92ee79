using System.Diagnostics;

namespace MkVerified.Cli;

/// <summary>
/// Progress goes to stderr (stdout stays clean for tables and JSON). On a terminal one status line is rewritten in
/// place; when stderr is redirected (CI, a log file) a plain line is written at most once every
/// <see cref="RedirectedInterval"/>, without terminal control codes, so a long command is never silent.
/// </summary>
public static class Progress
{
    public static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(5);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static TimeSpan _last = TimeSpan.Zero;

    public static void ToStderr(string step)
    {
        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write($"\r\u001b[K… {step}");
            return;
        }
        var now = Clock.Elapsed;
        if (now - _last < RedirectedInterval) return;
        _last = now;
        Console.Error.WriteLine($"progress ({now.TotalSeconds:0} s): {step}");
    }

    public static void Done()
    {
        if (!Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K");
    }
}
