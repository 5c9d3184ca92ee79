using MkVerified.Hardware;

namespace MkVerified.Tests.Hardware;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_set_whose_last_file_cannot_be_written_leaves_no_file_and_no_temporary_behind()
    {
        var first = Path.Combine(_dir, "a.json");
        var second = Path.Combine(_dir, "missing", "b.json");
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAll([(first, "a"), (second, "b")]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void A_set_replaces_every_target_and_leaves_only_them()
    {
        var first = Path.Combine(_dir, "a.json");
        File.WriteAllText(first, "old");
        AtomicFile.WriteAll([(first, "new"), (Path.Combine(_dir, "b.json"), "b")]);
        Assert.Equal("new", File.ReadAllText(first));
        Assert.Equal(["a.json", "b.json"], Directory.EnumerateFiles(_dir).Select(Path.GetFileName).Order());
    }
}
