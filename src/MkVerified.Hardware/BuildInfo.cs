using System.Reflection;

namespace MkVerified.Hardware;

/// <summary>
/// Which mk produced a result: the version (Directory.Build.props) and the git commit the build was made from, which
/// the SDK's source-control support embeds in the informational version ("0.1.0+COMMIT"). A build outside a git
/// checkout has no commit: it reads "unknown".
/// </summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Version { get; } = Informational.Split('+')[0];

    public static string Commit { get; } = Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : "unknown";
}
