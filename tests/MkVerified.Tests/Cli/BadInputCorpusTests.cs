using System.Diagnostics;
using MkVerified.Tests.Exploration;

namespace MkVerified.Tests.Cli;

/// <summary>
/// The bad-input contract over the corpus in tests/bad-inputs (cases.tsv names each case, its class and its message):
/// exit 2, nothing on stdout, one line on stderr naming the file or option and the problem, nothing left behind, no
/// hang, bounded memory.
/// </summary>
[Collection("cli")]
public sealed class BadInputCorpusTests
{
    private const long MemoryBound = 512L * 1024 * 1024; // bytes allocated by one case (the largest input is 16 MiB)
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(60);

    private static string Corpus => Path.Combine(Explore.RepositoryRoot(), "tests", "bad-inputs");

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Corpus, "cases.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            Assert.True(f.Length == 4, $"cases.tsv: a case needs 4 tab-separated columns: {line}");
            data.Add(f[0], f[1], f[2], f[3]);
        }
        return data;
    }

    [Fact]
    public void Every_input_class_has_cases()
    {
        var classes = Cases().Select(c => (string)c[0]).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["model", "option", "path", "trace"], classes.Keys.Order());
        Assert.All(classes, c => Assert.True(c.Value >= 5, $"class {c.Key} has {c.Value} cases"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_input_exits_2_with_one_line_naming_it_and_leaves_nothing(string inputClass, string name, string arguments, string message)
    {
        var tmp = Directory.CreateTempSubdirectory("mk-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(tmp, "a-file"), "x");
            Directory.CreateDirectory(Path.Combine(tmp, "a-dir"));
            if (arguments.Contains("huge.json", StringComparison.Ordinal))
            {
                using var huge = File.Create(Path.Combine(tmp, "huge.json"));
                huge.SetLength(17L * 1024 * 1024); // 17 MiB of zero bytes: must be refused without reading it whole
            }
            var before = Snapshot(tmp);
            var args = arguments.Split(' ').Select(a => a.Replace("{corpus}", Corpus).Replace("{tmp}", tmp)).ToArray();
            var expected = message.Replace("{tmp}", tmp);

            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var (exit, output, error) = CliRunner.Run(args);
            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

            var what = $"[{inputClass}] {name}: mk {string.Join(' ', args)}\nstderr: {error}";
            Assert.True(exit == 2, $"{what}\nexit {exit}, not 2");
            Assert.True(output.Length == 0, $"{what}\nstdout is not empty: {output}");
            var lines = error.TrimEnd('\n').Split('\n');
            Assert.True(lines.Length == 1, $"{what}\n{lines.Length} lines on stderr, not 1");
            Assert.StartsWith("mk: ", lines[0]);
            Assert.True(lines[0].Contains(expected, StringComparison.Ordinal), $"{what}\nthe line does not contain: {expected}");
            Assert.True(Snapshot(tmp).SequenceEqual(before), $"{what}\nleft files behind: {string.Join(", ", Snapshot(tmp).Except(before))}");
            Assert.True(clock.Elapsed < TimeBound, $"{what}\ntook {clock.Elapsed}");
            Assert.True(allocated < MemoryBound, $"{what}\nallocated {allocated / (1024 * 1024)} MiB");
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    private static List<string> Snapshot(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p)).Order(StringComparer.Ordinal).ToList();
}
