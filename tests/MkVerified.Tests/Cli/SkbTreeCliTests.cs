namespace MkVerified.Tests.Cli;

[Collection("cli")]
public class SkbTreeCliTests
{
    [Fact]
    public void Numa_tree_on_amd_4x4_lists_packages_farthest_first_each_under_its_aggregator()
    {
        var (exit, output, _) = CliRunner.Run("skb", "tree", "--machine", "amd-4x4", "--root", "0", "--kind", "numa");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("# numa tree on amd-4x4 from core 0 over 16 cores", lines[0]);
        Assert.Equal("0  (package 0)", lines[1]);
        // Package 3 is two hops from package 0 on the square, so it comes first; its aggregator forwards to the rest.
        Assert.Equal("  12  (package 3)", lines[2]);
        Assert.Equal("    13  (package 3)", lines[3]);
        Assert.Equal(17, lines.Length);
    }

    [Fact]
    public void Json_format_nests_children()
    {
        var (exit, output, _) = CliRunner.Run("skb", "tree", "-m", "amd-4x4", "--kind", "multicast", "--cores", "6", "--format", "json");
        Assert.Equal(0, exit);
        var doc = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.Equal("multicast", doc.GetProperty("kind").GetString());
        var children = doc.GetProperty("tree").GetProperty("children");
        Assert.Equal([1, 2, 3, 4], children.EnumerateArray().Select(c => c.GetProperty("core").GetInt32()));
        Assert.Equal(5, children[3].GetProperty("children")[0].GetProperty("core").GetInt32());
    }

    [Theory]
    [InlineData("--kind", "ring")]
    [InlineData("--root", "32")]
    [InlineData("--cores", "0")]
    [InlineData("--format", "xml")]
    public void Bad_input_exits_2_with_one_line(string option, string value)
    {
        var (exit, output, error) = CliRunner.Run("skb", "tree", "--machine", "amd-8x4", option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("mk: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
