namespace JiraAuthServer.Tests.Support;

/// <summary>
/// Finds the <c>shared</c> folder that sits beside the repository (test vectors, fixtures), or the folder named by
/// <c>JIRA_AUTH_SHARED_DIR</c>.
/// </summary>
internal static class SharedFolder
{
    public const string OverrideVariable = "JIRA_AUTH_SHARED_DIR";

    private static readonly Lazy<string> LocatedRoot = new(Locate);

    public static string Root => LocatedRoot.Value;

    public static string PathTo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return Directory.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new DirectoryNotFoundException($"{OverrideVariable} names a folder that does not exist: {overridden}");
        }

        string shared = Path.GetFullPath(Path.Combine(RepositoryFolder.Root, "..", "shared"));
        return Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException($"expected the shared folder beside the repository at {shared}; set {OverrideVariable} to point elsewhere");
    }
}
