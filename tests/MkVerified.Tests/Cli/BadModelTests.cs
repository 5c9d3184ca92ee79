namespace MkVerified.Tests.Cli;

[Collection("cli")]
public sealed class BadModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mk-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Valid(string packages = """[{"id":0,"dies":[{"id":0,"cores":[0,1]}]},{"id":1,"dies":[{"id":0,"cores":[2,3]}]}]""",
        string links = "[[0,1]]", string extra = "", string cacheHit = "3") => $$$"""
        {"name":"t","description":"test","clockGHz":2.0,"interconnect":"point-to-point",{{{extra}}}
         "packages":{{{packages}}},
         "caches":[{"level":2,"sizeKiB":512,"sharedBy":"core"}],
         "links":{{{links}}},
         "costs":{"cacheHit":{{{cacheHit}}},"sharedCacheTransfer":100,"sameDieTransfer":100,"crossDieTransfer":150,
                  "memory":200,"messageSend":100,"messageReceive":100,"ipiSend":400,"trap":800,"tlbInvalidate":150,"localRpc":1500},
         "coherence":{"probes":"broadcast","linkLatency":10,"controlOccupancy":4,"dataOccupancy":36,"engineLatency":40,
                  "homeOccupancy":80,"probeOccupancy":20,"onChipOccupancy":0,"outstandingMisses":8}}
        """;

    [Fact]
    public void A_valid_file_passes()
    {
        var (exit, output, _) = CliRunner.Run("models", "validate", Write("ok.json", Valid()));
        Assert.Equal(0, exit);
        Assert.Contains("ok", output);
    }

    [Theory]
    [InlineData("not-json", "this is not json", "not valid JSON")]
    [InlineData("unknown-field", null, "unknown field 'colour'")]
    [InlineData("negative-cost", null, "field 'costs.cacheHit' is -3: a cost cannot be negative")]
    [InlineData("core-in-two-packages", null, "core 1 is in two packages (0 and 1)")]
    [InlineData("missing-package-link", null, "link [0, 7] names package 7, which does not exist")]
    [InlineData("missing-field", null, "missing field 'costs'")]
    public void A_bad_model_is_refused_with_one_line_naming_the_file_and_the_problem(string name, string? text, string problem)
    {
        text ??= name switch
        {
            "unknown-field" => Valid(extra: "\"colour\":\"blue\","),
            "negative-cost" => Valid(cacheHit: "-3"),
            "core-in-two-packages" => Valid(packages: """[{"id":0,"dies":[{"id":0,"cores":[0,1]}]},{"id":1,"dies":[{"id":0,"cores":[1,2]}]}]"""),
            "missing-package-link" => Valid(links: "[[0,7]]"),
            "missing-field" => """{"name":"t","description":"d","clockGHz":2,"interconnect":"bus","packages":[],"caches":[],"links":[]}""",
            _ => throw new ArgumentException(name),
        };
        var path = Write(name + ".json", text);
        foreach (var args in new[] { new[] { "models", "validate", path }, new[] { "experiment", "urpc", "--machine", path } })
        {
            var (exit, output, err) = CliRunner.Run(args);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            var line = Assert.Single(err.TrimEnd('\n').Split('\n'));
            Assert.StartsWith($"mk: {path}: ", line);
            Assert.Contains(problem, line);
        }
    }

    [Fact]
    public void Unknown_machine_experiment_and_option_exit_2_with_one_line()
    {
        foreach (var args in new[]
        {
            new[] { "experiment", "urpc", "--machine", "pdp-11" },
            new[] { "experiment", "no-such-experiment" },
            new[] { "experiment", "urpc", "--format", "xml" },
            new[] { "run", "--no-such-option" },
        })
        {
            var (exit, _, err) = CliRunner.Run(args);
            Assert.Equal(2, exit);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
            Assert.StartsWith("mk: ", err);
        }
    }
}
