namespace MkVerified.Cli;

/// <summary>
/// Checks output paths before any work starts, so a long run never ends by failing to write its results. A check
/// leaves nothing behind: directories are created only when results are written.
/// </summary>
public static class OutputPaths
{
    /// <summary>An output directory (<paramref name="option"/> names it in the message): it is one, or can be created in a writable place.</summary>
    public static string Directory(string option, string path)
    {
        if (path.Length == 0) throw new UsageException($"{option}: the path is empty");
        if (System.IO.File.Exists(path)) throw new UsageException($"{option} {path}: is a file, not a directory");
        var existing = Path.GetFullPath(path);
        while (!System.IO.Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) throw new UsageException($"{option} {path}: no part of the path exists");
            if (System.IO.File.Exists(parent)) throw new UsageException($"{option} {path}: {parent} is a file, not a directory");
            existing = parent;
        }
        Probe(option, path, existing);
        return path;
    }

    /// <summary>An output file: not a directory, in an existing writable directory.</summary>
    public static string File(string option, string path)
    {
        if (path.Length == 0) throw new UsageException($"{option}: the path is empty");
        if (System.IO.Directory.Exists(path)) throw new UsageException($"{option} {path}: is a directory, not a file");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!System.IO.Directory.Exists(dir)) throw new UsageException($"{option} {path}: directory {dir} does not exist");
        Probe(option, path, dir);
        return path;
    }

    private static void Probe(string option, string path, string directory)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(directory, $".mk-probe-{Environment.ProcessId}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: cannot write in {directory} ({e.GetType().Name})");
        }
    }
}
