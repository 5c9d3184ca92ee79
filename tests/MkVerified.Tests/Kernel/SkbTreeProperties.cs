using FsCheck;
using FsCheck.Fluent;
using MkVerified.Hardware;
using MkVerified.Kernel.Skb;

namespace MkVerified.Tests.Kernel;

/// <summary>For random machines, roots, target sets and every tree kind, a tree reaches every target exactly once.</summary>
public class SkbTreeProperties
{
    private static readonly string[] PaperModels = ["intel-2x4", "amd-2x2", "amd-4x4", "amd-8x4", "synthetic-256"];

    private static Topology Machine(int choice, int columns, int rows, int coresPerPackage) =>
        choice < PaperModels.Length
            ? TestMachines.Get(PaperModels[choice])
            : new Topology(SyntheticMachine.Mesh("random", columns, rows, coresPerPackage, ModelCatalog.Load("amd-8x4").Costs, ModelCatalog.Load("amd-8x4").Coherence));

    [Fact]
    public void Every_tree_kind_reaches_every_target_exactly_once()
    {
        var property = Prop.ForAll(
            Gen.Choose(0, PaperModels.Length + 2).Zip(Gen.Choose(1, 5)).Zip(Gen.Choose(1, 4)).Zip(Gen.Choose(1, 8)).Zip(Gen.Choose(0, int.MaxValue)).Zip(Gen.Elements(TreeKind.Unicast, TreeKind.Multicast, TreeKind.Numa)).ToArbitrary(),
            input =>
            {
                var (((((choice, columns), rows), perPackage), seed), kind) = input;
                var topology = Machine(choice, columns, rows, perPackage);
                var random = new Random(seed);
                var root = random.Next(topology.CoreCount);
                var targets = Enumerable.Range(0, topology.CoreCount).Where(_ => random.Next(3) > 0).ToList();
                var tree = new SystemKnowledgeBase(topology).BuildTree(root, targets, kind);
                var reached = new List<int>();
                void Walk(int node)
                {
                    foreach (var child in tree.ChildrenOf(node))
                    {
                        reached.Add(child);
                        if (tree.ParentOf(child) != node) throw new InvalidOperationException("parent link disagrees with children");
                        Walk(child);
                    }
                }
                Walk(root);
                var expected = targets.Where(t => t != root).Distinct().OrderBy(t => t).ToList();
                return reached.Count == reached.Distinct().Count() && reached.OrderBy(c => c).SequenceEqual(expected);
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Numa_trees_send_to_the_farthest_package_first_and_multicast_aggregates_per_package()
    {
        var topology = TestMachines.Get("amd-8x4");
        var skb = new SystemKnowledgeBase(topology);
        var numa = skb.BuildTree(0, 32, TreeKind.Numa);
        var hops = numa.ChildrenOf(0).Select(c => skb.Distance(0, c)).ToList();
        Assert.Equal(hops.OrderByDescending(h => h), hops);
        var multicast = skb.BuildTree(0, 32, TreeKind.Multicast);
        Assert.Equal(3 + 7, multicast.ChildrenOf(0).Count); // three local cores and one aggregator per remote package
        foreach (var aggregator in multicast.ChildrenOf(0).Where(c => !skb.SamePackage(0, c)))
            Assert.All(multicast.ChildrenOf(aggregator), c => Assert.True(skb.SamePackage(aggregator, c)));
    }
}
