using System.Security.Cryptography;
using System.Text.Json;
using MkVerified.Hardware;
using MkVerified.Tests.Exploration;

namespace MkVerified.Tests.Cli;

/// <summary>Every result file says what produced it: mk version and commit, model name/source/SHA-256, seed, options.</summary>
[Collection("cli")]
public sealed class ProvenanceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-prov-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertProvenance(JsonElement p, string model, string source, string sha, long? seed, string what)
    {
        Assert.Equal("mk", p.GetProperty("tool").GetString());
        Assert.Equal(BuildInfo.Version, p.GetProperty("version").GetString());
        Assert.Equal(BuildInfo.Commit, p.GetProperty("commit").GetString());
        Assert.Equal(model, p.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(source, p.GetProperty("model").GetProperty("source").GetString());
        Assert.True(sha == p.GetProperty("model").GetProperty("sha256").GetString(), what);
        if (seed is null) Assert.Equal(JsonValueKind.Null, p.GetProperty("seed").ValueKind);
        else Assert.Equal(seed, p.GetProperty("seed").GetInt64());
        Assert.Equal(JsonValueKind.Object, p.GetProperty("options").ValueKind);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void A_modified_copy_of_a_model_given_by_path_is_told_apart_from_the_embedded_one()
    {
        var embedded = Path.Combine(Explore.RepositoryRoot(), "models", "amd-2x2.json");
        var copy = Path.Combine(_dir, "amd-2x2.json");
        File.WriteAllText(copy, File.ReadAllText(embedded).Replace("\"cacheHit\": 3", "\"cacheHit\": 4"));
        Assert.NotEqual(Sha(embedded), Sha(copy));

        var (exit, json, err) = CliRunner.Run("experiment", "urpc", "--machine", "amd-2x2", "--format", "json");
        Assert.True(exit == 0, err);
        AssertProvenance(JsonDocument.Parse(json).RootElement.GetProperty("provenance"), "amd-2x2", "embedded models/amd-2x2.json", Sha(embedded), null, "embedded");

        (exit, json, err) = CliRunner.Run("experiment", "urpc", "--machine", copy, "--format", "json");
        Assert.True(exit == 0, err);
        var p = JsonDocument.Parse(json).RootElement.GetProperty("provenance");
        AssertProvenance(p, "amd-2x2", copy, Sha(copy), null, "copy");
        Assert.Equal(copy, p.GetProperty("options").GetProperty("machine").GetString());
    }

    [Fact]
    public void Run_writes_provenance_into_report_json_and_csv_and_explore_into_its_trace()
    {
        var sha = Sha(Path.Combine(Explore.RepositoryRoot(), "models", "amd-2x2.json"));
        var (exit, _, err) = CliRunner.Run("run", "--machine", "amd-2x2", "--out", _dir);
        Assert.True(exit == 0, err);
        var report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains($"- mk {BuildInfo.Version}, commit {BuildInfo.Commit}\n", report);
        Assert.Contains($"- model: amd-2x2 from embedded models/amd-2x2.json, sha256 {sha}\n", report);
        Assert.Contains("- seed: none (deterministic cycle scheduler)\n", report);
        foreach (var json in Directory.GetFiles(_dir, "*.json"))
            AssertProvenance(JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("provenance"), "amd-2x2", "embedded models/amd-2x2.json", sha, null, json);
        foreach (var csv in Directory.GetFiles(_dir, "*.csv"))
        {
            var lines = File.ReadAllLines(csv);
            Assert.Equal($"# mk {BuildInfo.Version}, commit {BuildInfo.Commit}", lines[0]);
            Assert.Contains(lines, l => l == $"# model: amd-2x2 from embedded models/amd-2x2.json, sha256 {sha}");
        }

        var traces = Path.Combine(_dir, "traces");
        (exit, var output, err) = CliRunner.Run("explore", "urpc", "--variant", "early-ack", "--strategy", "pct", "--seed", "3", "--trace-out", traces);
        Assert.True(exit == 1, err);
        Assert.Contains($"provenance: mk {BuildInfo.Version}, commit {BuildInfo.Commit}; command: mk explore urpc --variant early-ack", output);
        var trace = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(traces)))).RootElement.GetProperty("provenance");
        AssertProvenance(trace, "amd-2x2", "embedded models/amd-2x2.json", sha, 3, "trace");
        Assert.Equal("pct", trace.GetProperty("options").GetProperty("strategy").GetString());
    }
}
