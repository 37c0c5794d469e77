using System.Runtime.Versioning;
using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class AtomicFileWriterTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly string[] OnlyTheFile = ["user_tokens.json"];

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public void WritesThroughAnOwnerOnlyTemporaryFileBesideTheTarget()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "old");
        File.SetUnixFileMode(folder.TokensFile, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string[] during = [];
        UnixFileMode temporaryMode = default;

        AtomicFileWriter.Write(folder.TokensFile, stream =>
        {
            stream.Write("new"u8);
            during = folder.FileNames();
            temporaryMode = File.GetUnixFileMode(((FileStream)stream).Name);
        });

        Assert.That(during, Has.Length.EqualTo(2).And.Some.Match(@"^user_tokens\.json\.[0-9a-f]{32}\.tmp$"));
        Assert.That(temporaryMode, Is.EqualTo(OwnerOnly));
        Assert.That(File.ReadAllText(folder.TokensFile), Is.EqualTo("new"));
        Assert.That(File.GetUnixFileMode(folder.TokensFile), Is.EqualTo(OwnerOnly));
        Assert.That(folder.FileNames(), Is.EqualTo(OnlyTheFile));
    }

    [Test]
    public void AFailureWhileWritingLeavesTheOldFileAndNoTemporaryFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.TokensFile, "old");

        Assert.Throws<IOException>(() => AtomicFileWriter.Write(folder.TokensFile, stream =>
        {
            stream.Write("half a fi"u8);
            throw new IOException("disk full");
        }));

        Assert.That(File.ReadAllText(folder.TokensFile), Is.EqualTo("old"));
        Assert.That(folder.FileNames(), Is.EqualTo(OnlyTheFile));
    }

    [Test]
    public void StaleTemporaryFilesOfThisFileAreRemovedAndNothingElse()
    {
        using var folder = new TempFolder();
        var stale = folder.File($"user_tokens.json.{Guid.NewGuid():N}.tmp");
        string[] others = ["user_tokens.json", "user_tokens.json.backup.tmp", $"other.json.{Guid.NewGuid():N}.tmp"];
        foreach (var name in others.Append(Path.GetFileName(stale)))
        {
            File.WriteAllText(folder.File(name), "x");
        }

        AtomicFileWriter.DeleteStaleTemporaryFiles(folder.TokensFile);

        Assert.That(folder.FileNames(), Is.EquivalentTo(others));
    }

    [Test]
    public void FolderSyncCallsTheOperatingSystem()
    {
        using var folder = new TempFolder();

        Assert.That(() => DirectorySync.Flush(folder.Path), Throws.Nothing);
        Assert.That(() => DirectorySync.Flush(folder.File("missing")), Throws.TypeOf<IOException>().With.Message.Contains("open of folder"));
    }
}
