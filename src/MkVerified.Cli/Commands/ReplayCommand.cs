using System.CommandLine;
using MkVerified.Exploration;
using MkVerified.Hardware;
using MkVerified.Exploration.Renders;

namespace MkVerified.Cli.Commands;

/// <summary><c>mk replay TRACE</c>: re-runs a bug trace deterministically and renders it; exit 0 reproduced, 3 not, 2 bad file.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var trace = new Argument<string>("trace") { Description = "a trace file written by mk explore" };
        var render = new Option<string?>("--render") { Description = "also render the replayed run: text (message sequence chart), mermaid (sequenceDiagram) or chrome (trace-event JSON for Perfetto)" };
        var output = CommonOptions.Out("write the render to this file instead of stdout");
        var polls = new Option<bool>("--polls") { Description = "show every empty poll in the render (by default a core's consecutive empty polls are one row with their count)" };
        var minimize = new Option<bool>("--minimize") { Description = "shrink the trace to the fewest preemptions and steps that still fail the same check; writes it to --out" };
        var command = new Command("replay", "replay a bug trace and say whether its bug reproduced; exit 0 reproduced, 3 not reproduced, 2 bad file")
        {
            trace, render, output, polls, minimize,
        };
        command.SetAction(parse =>
        {
            var kind = parse.GetValue(render);
            if (kind is not (null or "text" or "mermaid" or "chrome")) throw new UsageException($"--render must be text, mermaid or chrome, not '{kind}'");
            if (parse.GetValue(minimize))
            {
                if (kind is not null) throw new UsageException("--minimize writes a trace, not a render: drop --render");
                var target = parse.GetValue(output) ?? throw new UsageException("--minimize needs --out FILE for the shrunk trace");
                var original = TraceFile.Read(parse.GetValue(trace)!);
                var shrunk = ScheduleMinimizer.Minimize(original);
                if (shrunk is null)
                {
                    Console.Out.WriteLine($"NOT minimized: the trace's bug does not recur in a direct run (\"{original.BugMessage}\")");
                    return ExitCodes.NotReproduced;
                }
                File.WriteAllText(target, shrunk.Trace.ToJson());
                Console.Out.WriteLine(shrunk.Summary);
                Console.Out.WriteLine($"wrote {target}: {shrunk.Trace.BugMessage}");
                return ExitCodes.Ok;
            }
            var file = TraceFile.Read(parse.GetValue(trace)!);
            var outPath = parse.GetValue(output) is { } o ? OutputPaths.File("--out", o) : null;
            if (outPath is not null && kind is null) throw new UsageException("--out writes the render: give --render text, mermaid or chrome with it");
            var result = Replayer.Replay(file);
            if (kind is not null)
            {
                var text = kind switch
                {
                    "text" => TextChart.Render(result, parse.GetValue(polls)),
                    "mermaid" => MermaidChart.Render(result, parse.GetValue(polls)),
                    _ => ChromeTrace.Render(result, parse.GetValue(polls)),
                };
                if (outPath is { } path)
                {
                    AtomicFile.Write(path, text);
                    Console.Error.WriteLine($"wrote {path}");
                }
                else Console.Out.Write(text);
            }
            var verdict = result.Reproduced
                ? $"reproduced: {file.Scenario}/{file.Variant}: {result.BugMessage}"
                : $"NOT reproduced: expected \"{file.BugMessage}\", replay {(result.BugMessage is null ? "found no bug" : $"found \"{result.BugMessage}\"")}";
            (kind is null || outPath is not null ? Console.Out : Console.Error).WriteLine(verdict);
            return result.Reproduced ? ExitCodes.Ok : ExitCodes.NotReproduced;
        });
        return command;
    }
}
