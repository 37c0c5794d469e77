namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>A fresh folder under the system temp folder, removed with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "jira-auth-store-" + Guid.NewGuid().ToString("N"));

    public string TokensFile => File("user_tokens.json");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] FileNames() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order().ToArray()!;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
