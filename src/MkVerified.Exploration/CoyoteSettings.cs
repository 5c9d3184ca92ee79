using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;

namespace MkVerified.Exploration;

/// <summary>The Coyote configuration every exploration and replay shares (no telemetry, quiet, a step bound sized for emulations).</summary>
public static class CoyoteSettings
{
    /// <summary>
    /// Every controlled draw counts as a Coyote scheduling step; Coyote's default bound (10,000) would cut long
    /// emulations short, so the bound is far above what a scenario needs (scenarios bound their own steps).
    /// </summary>
    public const uint MaxSteps = 100_000;

    public static Configuration Base() => Configuration.Create()
        .WithTelemetryEnabled(false)
        .WithConsoleLoggingEnabled(false)
        .WithVerbosityEnabled(VerbosityLevel.None) // Coyote otherwise logs its progress to stdout, which belongs to mk
        .WithMaxSchedulingSteps(MaxSteps)
        // Coyote's periodic "potential deadlock or hang" check fires on wall time when an iteration runs long without a
        // Coyote scheduling point (default: seconds). Our emulations never block on Coyote and bound their own steps, but
        // an iteration that runs to its step budget (a liveness bug) can take seconds under load; the report would then
        // depend on the machine's load, not on the schedule. Ignoring it instead ends the iteration silently (the
        // liveness verdict is lost), so the timeout is set far above any step-bounded run.
        .WithDeadlockTimeout(DeadlockTimeoutMs);

    /// <summary>Wall-clock milliseconds before Coyote calls an iteration hung (10 minutes; scenarios bound their own steps).</summary>
    public const uint DeadlockTimeoutMs = 600_000;

    /// <summary>A testing engine that keeps quiet: Coyote logs its progress to stdout, which belongs to mk's output.</summary>
    public static TestingEngine CreateEngine(Configuration configuration, Action test)
    {
        var engine = TestingEngine.Create(configuration, test);
        engine.SetLogger(new TextWriterLogger(TextWriter.Null, VerbosityLevel.None));
        return engine;
    }
}
