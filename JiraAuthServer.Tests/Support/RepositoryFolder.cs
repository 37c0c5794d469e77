namespace JiraAuthServer.Tests.Support;

/// <summary>The repository's root (the folder holding the solution) and the built server in it.</summary>
internal static class RepositoryFolder
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly Lazy<string> LocatedRoot = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JiraAuthServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no JiraAuthServer.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => LocatedRoot.Value;

    /// <summary>Debug or Release: the configuration these tests, and so the server beside them, were built with.</summary>
    public static string BuildConfiguration => Configuration;

    /// <summary>The server DLL built with the same configuration as these tests (the test project references it).</summary>
    public static string ServerDll => Path.Combine(Root, "JiraAuthServer.Web", "bin", Configuration, "net10.0", "JiraAuthServer.Web.dll");
}
