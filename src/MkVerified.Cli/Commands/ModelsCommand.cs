using System.CommandLine;
using MkVerified.Hardware;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk models list|validate</c>.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var list = new Command("list", "list the machine models in models/ with their size and interconnect");
        list.SetAction(_ =>
        {
            foreach (var name in ModelCatalog.Names)
            {
                var m = ModelCatalog.Load(name);
                var t = new Topology(m);
                var diameter = 0;
                for (var a = 0; a < t.PackageCount; a++)
                    for (var b = 0; b < t.PackageCount; b++) diameter = Math.Max(diameter, t.Hops(a, b));
                Console.Out.WriteLine($"{name,-14} {m.CoreCount,5} cores {m.Packages.Count,4} packages  {m.ClockGHz,4} GHz  diameter {diameter}  {m.Description}");
            }
            return ExitCodes.Ok;
        });
        var file = new Argument<string>("file") { Description = "a model file (or a model name) to check" };
        var validate = new Command("validate", "check a machine model file; prints 'ok' or one line naming the file and the problem (exit 2)") { file };
        validate.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var m = ModelCatalog.Load(path);
            Console.Out.WriteLine($"{path}: ok ({m.Name}, {m.CoreCount} cores, {m.Packages.Count} packages)");
            return ExitCodes.Ok;
        });
        return new Command("models", "list, validate and generate machine models") { list, validate, Generate(), Host() };
    }

    private static Command Generate()
    {
        var name = new Option<string>("--name") { Description = "name of the new model", Required = true };
        var columns = new Option<int>("--columns") { Description = "packages per mesh row", DefaultValueFactory = _ => 4 };
        var rows = new Option<int>("--rows") { Description = "mesh rows", DefaultValueFactory = _ => 4 };
        var cores = new Option<int>("--cores-per-package") { Description = "cores in each package", DefaultValueFactory = _ => 16 };
        var baseModel = new Option<string>("--base") { Description = "model whose costs and interconnect timing are reused (probes become filtered: a directory)", DefaultValueFactory = _ => ModelCatalog.DefaultName };
        var output = new Option<string?>("--out", "-o") { Description = "file to write (default: stdout)" };
        var command = new Command("generate", "generate a synthetic mesh machine model (for scale experiments)") { name, columns, rows, cores, baseModel, output };
        command.SetAction(parse =>
        {
            var (c, r, k) = (parse.GetValue(columns), parse.GetValue(rows), parse.GetValue(cores));
            if (c < 1 || r < 1 || k < 1 || (long)c * r * k > ModelValidator.MaxCores)
                throw new UsageException($"--columns, --rows and --cores-per-package must be positive and give at most {ModelValidator.MaxCores} cores (the emulator's limit), not {(long)c * r * k}");
            var b = ModelCatalog.Load(parse.GetValue(baseModel)!);
            var outFile = parse.GetValue(output) is { } o ? OutputPaths.File("--out", o) : null;
            var model = SyntheticMachine.Mesh(parse.GetValue(name)!, c, r, k, b.Costs, b.Coherence, b.ClockGHz);
            ModelValidator.Validate(model, model.Name);
            var json = ModelWriter.ToJson(model);
            if (outFile is not null) AtomicFile.Write(outFile, json);
            else Console.Out.Write(json);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Host()
    {
        var baseModel = new Option<string>("--base") { Description = "model whose costs and interconnect timing start the host model (to be calibrated)", DefaultValueFactory = _ => "amd-2x2" };
        var output = new Option<string?>("--out", "-o") { Description = "file to write (default: stdout)" };
        var command = new Command("host", "write this host's topology (Linux sysfs: packages, dies, CPUs, cache sharing, NUMA distances) as a machine model, costs to be calibrated") { baseModel, output };
        command.SetAction(parse =>
        {
            var b = ModelCatalog.Load(parse.GetValue(baseModel)!);
            var outFile = parse.GetValue(output) is { } o ? OutputPaths.File("--out", o) : null;
            var reading = HostTopology.Read(b);
            foreach (var note in reading.Notes) Console.Error.WriteLine($"note: {note}");
            var json = ModelWriter.ToJson(reading.Model);
            if (outFile is not null)
            {
                AtomicFile.Write(outFile, json);
                Console.Error.WriteLine($"wrote {outFile}");
            }
            else Console.Out.Write(json);
            return ExitCodes.Ok;
        });
        return command;
    }
}
