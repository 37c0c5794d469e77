using System.Reflection;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>The server assembly's informational version (the project's version and, from a git checkout, its commit), as <c>--version</c> prints it.</summary>
public static class BuildVersion
{
    public static string Informational { get; } =
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
