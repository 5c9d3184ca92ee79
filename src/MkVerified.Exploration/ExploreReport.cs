using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml.Linq;
using MkVerified.Exploration.Exhaustive;

namespace MkVerified.Exploration;

/// <summary>A bug an exploration found: where, what, the trace written and how far it was shrunk.</summary>
public sealed record FoundBug(long Iteration, string Message, string? TracePath, Minimization? Minimized);

/// <summary>
/// What <c>mk explore</c> reports, whatever the strategy: the document of <c>--format json</c> and of <c>--junit</c>.
/// <see cref="Complete"/> is set only by the exhaustive strategy.
/// </summary>
public sealed record ExploreReport(
    ExplorationRequest Request,
    long Iterations,
    TimeSpan Elapsed,
    StepStats Steps,
    long DistinctSchedules,
    bool? Complete,
    bool TimedOut,
    ExhaustiveOptions? ExhaustiveOptions,
    ExhaustiveResult? Exhaustive,
    IReadOnlyList<FoundBug> Bugs)
{
    /// <summary><c>--shard K/N</c>: the shard, and the index of its first iteration in the whole run (whose seed is <see cref="BaseSeed"/>).</summary>
    public string? Shard { get; init; }
    public uint FirstIteration { get; init; }
    public uint? BaseSeed { get; init; }

    /// <summary><c>--continue</c>: how many iterations failed a check (the bugs are the distinct checks).</summary>
    public long? BuggyIterations { get; init; }

    public double IterationsPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;

    public static ExploreReport From(ExplorationResult r, IReadOnlyList<FoundBug> bugs) =>
        new(r.Request, r.IterationsRun, r.Elapsed, r.Steps, r.DistinctSchedules, null, r.TimedOut, null, null, bugs) { EmulationTime = r.EmulationTime };

    /// <summary>Coyote runs: time inside the iterations' own code; the rest of <see cref="Elapsed"/> is Coyote's engine.</summary>
    public TimeSpan? EmulationTime { get; init; }

    public static ExploreReport From(ExplorationRequest q, ExhaustiveOptions o, ExhaustiveResult r, IReadOnlyList<FoundBug> bugs) =>
        new(q, r.Schedules, r.Elapsed, new StepStats(r.MinPicks, r.MeanPicks, r.MaxPicks), r.Schedules - r.SleepBlocked - r.Cut,
            r.Complete, r.TimedOut, o, r, bugs);

    public string Json()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var q = Request;
            w.WriteStartObject();
            w.WriteString("scenario", q.Scenario.Name);
            w.WriteString("variant", q.Variant);
            w.WriteString("machine", q.Machine);
            w.WriteNumber("cores", q.Cores);
            w.WriteString("strategy", q.Strategy);
            w.WriteNumber("seed", BaseSeed ?? q.Seed);
            if (Shard is not null)
            {
                w.WriteString("shard", Shard);
                w.WriteNumber("firstIteration", FirstIteration);
            }
            w.WriteNumber("iterations", Iterations);
            w.WriteNumber("seconds", Math.Round(Elapsed.TotalSeconds, 3));
            w.WriteNumber("iterationsPerSecond", Math.Round(IterationsPerSecond, 1));
            w.WriteStartObject("stepsPerIteration");
            w.WriteNumber("min", Steps.Min);
            w.WriteNumber("mean", Math.Round(Steps.Mean, 2));
            w.WriteNumber("max", Steps.Max);
            w.WriteEndObject();
            w.WriteNumber("stepsPerSecond", Elapsed.TotalSeconds > 0 ? Math.Round(Steps.Mean * Iterations / Elapsed.TotalSeconds) : 0);
            if (EmulationTime is { } emulation && Elapsed.TotalSeconds > 0)
            {
                w.WriteNumber("emulationSeconds", Math.Round(emulation.TotalSeconds, 3));
                w.WriteNumber("coyoteEngineShare", Math.Round(Math.Max(0, 1 - emulation.TotalSeconds / Elapsed.TotalSeconds), 3));
            }
            w.WriteNumber("distinctSchedules", DistinctSchedules);
            if (Complete is { } complete) w.WriteBoolean("complete", complete);
            else w.WriteNull("complete");
            w.WriteBoolean("timedOut", TimedOut);
            if (BuggyIterations is { } buggy)
            {
                w.WriteNumber("buggyIterations", buggy);
                w.WriteNumber("distinctChecks", Bugs.Count);
            }
            if (Exhaustive is { } e && ExhaustiveOptions is { } o)
            {
                w.WriteStartObject("exhaustive");
                if (o.PreemptionBound is { } k) w.WriteNumber("preemptionBound", k);
                else w.WriteNull("preemptionBound");
                if (o.MaxSteps != long.MaxValue) w.WriteNumber("maxSteps", o.MaxSteps);
                else w.WriteNull("maxSteps");
                w.WriteString("por", o.Reduction.ToString().ToLowerInvariant());
                w.WriteNumber("schedules", e.Schedules);
                w.WriteNumber("stoppedAsRedundant", e.SleepBlocked);
                w.WriteNumber("prunedBranches", e.PrunedBranches);
                w.WriteNumber("beyondPreemptionBound", e.BoundedBranches);
                w.WriteNumber("cutByMaxSteps", e.Cut);
                w.WriteEndObject();
            }
            w.WriteStartArray("bugs");
            foreach (var b in Bugs)
            {
                w.WriteStartObject();
                w.WriteNumber("iteration", b.Iteration);
                w.WriteString("message", b.Message);
                if (b.TracePath is { } path) w.WriteString("trace", path);
                else w.WriteNull("trace");
                if (b.Minimized is { } m)
                {
                    w.WriteNumber("steps", m.StepsBefore);
                    w.WriteNumber("minimizedSteps", m.StepsAfter);
                    w.WriteNumber("preemptions", m.PreemptionsBefore);
                    w.WriteNumber("minimizedPreemptions", m.PreemptionsAfter);
                }
                else w.WriteNull("minimizedSteps");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            ExplorationProvenance.Of(q).WriteJson(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>A JUnit XML report: one test case for this scenario/variant run, failed when a bug was found.</summary>
    public string JUnit()
    {
        var q = Request;
        var seconds = Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var testCase = new XElement("testcase",
            new XAttribute("classname", $"mk.explore.{q.Scenario.Name}"),
            new XAttribute("name", $"{q.Variant} ({q.Strategy}, seed {q.Seed}, {q.Machine}, {q.Cores} cores)"),
            new XAttribute("time", seconds));
        foreach (var b in Bugs)
            testCase.Add(new XElement("failure",
                new XAttribute("message", b.Message),
                new XAttribute("type", "bug"),
                $"iteration {b.Iteration}{(b.TracePath is { } p ? $"; trace {p}; replay: mk replay {p}" : "")}"));
        var verdict = Complete is { } c ? $"complete: {(c ? "true" : "false")}; " : "";
        testCase.Add(new XElement("system-out", $"{verdict}{Iterations} iterations, {DistinctSchedules} distinct schedules, steps per iteration {Steps.Min}/{Steps.Mean:0.0}/{Steps.Max}"));
        var suite = new XElement("testsuite",
            new XAttribute("name", "mk explore"),
            new XAttribute("tests", 1),
            new XAttribute("failures", Bugs.Count > 0 ? 1 : 0),
            new XAttribute("errors", 0),
            new XAttribute("time", seconds),
            testCase);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement("testsuites", suite) + "\n";
    }
}
