using System.CommandLine;
using System.Text;
using System.Text.Json;
using MkVerified.Hardware;
using MkVerified.Kernel.Skb;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk skb tree</c>: prints the multicast tree the SKB builds for a root, a tree kind and a set of cores.</summary>
public static class SkbCommand
{
    public static Command Create()
    {
        var machine = CommonOptions.Machine();
        var root = new Option<int>("--root") { Description = "the root core (the coordinator)", DefaultValueFactory = _ => 0 };
        var kind = new Option<string>("--kind") { Description = "tree kind: unicast, multicast or numa", DefaultValueFactory = _ => "multicast" };
        var cores = new Option<int?>("--cores") { Description = "span cores 0..N-1 (default: every core of the machine)" };
        var format = CommonOptions.Format();
        var tree = new Command("tree", "print the tree a message from --root takes to reach the cores (indented: each core under its parent, in sending order)")
        {
            machine, root, kind, cores, format,
        };
        tree.SetAction(parse =>
        {
            var fmt = CommonOptions.CheckFormat(parse.GetValue(format)!);
            TreeKind treeKind;
            try
            {
                treeKind = TreeKinds.Parse(parse.GetValue(kind)!);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--kind: {e.Message}");
            }
            var model = ModelCatalog.Load(parse.GetValue(machine)!);
            var topology = new Topology(model);
            var r = parse.GetValue(root);
            var n = parse.GetValue(cores) ?? topology.CoreCount;
            if (r < 0 || r >= topology.CoreCount) throw new UsageException($"--root must be a core of {model.Name} (0..{topology.CoreCount - 1}), not {r}");
            if (n < 1 || n > topology.CoreCount) throw new UsageException($"--cores must be in 1..{topology.CoreCount} on {model.Name}, not {n}");
            var t = new SystemKnowledgeBase(topology).BuildTree(r, n, treeKind);
            Console.Out.Write(fmt == "json" ? Json(model.Name, t) : Text(model.Name, t, topology));
            return ExitCodes.Ok;
        });
        return new Command("skb", "query the System Knowledge Base built from a machine model") { tree };
    }

    private static string Text(string machine, MulticastTree tree, Topology topology)
    {
        var sb = new StringBuilder();
        sb.Append($"# {TreeKinds.Name(tree.Kind)} tree on {machine} from core {tree.Root} over {tree.Targets.Count + 1} cores\n");
        void Walk(int node, int depth)
        {
            sb.Append(new string(' ', depth * 2)).Append(node).Append($"  (package {topology.PackageOf(node)})\n");
            foreach (var c in tree.ChildrenOf(node)) Walk(c, depth + 1);
        }
        Walk(tree.Root, 0);
        return sb.ToString();
    }

    private static string Json(string machine, MulticastTree tree)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("machine", machine);
            w.WriteString("kind", TreeKinds.Name(tree.Kind));
            w.WriteNumber("root", tree.Root);
            w.WritePropertyName("tree");
            void Node(int core)
            {
                w.WriteStartObject();
                w.WriteNumber("core", core);
                w.WriteStartArray("children");
                foreach (var c in tree.ChildrenOf(core)) Node(c);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            Node(tree.Root);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
    }
}
