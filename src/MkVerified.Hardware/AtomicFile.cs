namespace MkVerified.Hardware;

/// <summary>
/// Writes output files so that a reader never sees a half-written one and a failure leaves nothing behind: each text
/// goes to a temporary file beside its target, and only when every one of a set is written are they renamed into place.
/// (It lives in the lowest layer because every layer that writes results uses it.)
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, string text) => WriteAll([(path, text)]);

    /// <summary>Writes every (path, text); on any failure the temporary files are removed and no target is touched.</summary>
    public static void WriteAll(IReadOnlyList<(string Path, string Text)> files)
    {
        var temps = new List<string>();
        try
        {
            foreach (var (path, text) in files)
            {
                var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
                temps.Add(temp);
                File.WriteAllText(temp, text);
            }
        }
        catch
        {
            foreach (var t in temps) TryDelete(t);
            throw;
        }
        for (var i = 0; i < files.Count; i++) File.Move(temps[i], files[i].Path, overwrite: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary file could not even be created, or its directory went away.
        }
    }
}
