using System.Runtime.Versioning;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class JsonFileTokenRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly long[] BothUsers = [1001, 1002];
    private static readonly string[] RequiredAndDefaultedFields = ["access_token", "refresh_token", "expires_at", "token_type", "scope", "revision"];
    private readonly PrefixTestCipher cipher = new();

    [Test]
    public async Task MissingFileIsAnEmptyStoreAndIsNotCreatedUntilTheFirstWrite()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);

        Assert.That(await repository.CountAsync(None), Is.Zero);
        Assert.That(await repository.GetAsync(1, None), Is.Null);
        Assert.That(File.Exists(folder.TokensFile), Is.False);
    }

    [Test]
    public async Task SavedGrantsComeBackWholeAfterReopening()
    {
        using var folder = new TempFolder();
        var full = GrantBuilder.Full(cipher, "a");
        var minimal = GrantBuilder.Minimal(cipher, "b");
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(1001, full, None);
            await repository.SaveAsync(1002, minimal, None);
            GrantBuilder.AssertSame(await repository.GetAsync(1001, None), full);
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile);
        GrantBuilder.AssertSame(await reopened.GetAsync(1001, None), full);
        GrantBuilder.AssertSame(await reopened.GetAsync(1002, None), minimal);
        Assert.That(await reopened.CountAsync(None), Is.EqualTo(2));
        Assert.That((await reopened.ListAsync(None)).Select(pair => pair.Key), Is.EquivalentTo(BothUsers));
    }

    [Test]
    public async Task FileIsWrittenLikePythonsJsonDumpWithIndentTwo()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(7, GrantBuilder.Minimal(cipher) with { JiraSiteName = "Café" }, None);
        }

        Assert.That(File.ReadAllText(folder.TokensFile), Is.EqualTo(
            "{\n" +
            "  \"7\": {\n" +
            "    \"access_token\": \"enc:access-a\",\n" +
            "    \"refresh_token\": \"\",\n" +
            "    \"expires_at\": \"2025-06-01T12:30:45.123456+00:00\",\n" +
            "    \"token_type\": \"Bearer\",\n" +
            "    \"scope\": \"\",\n" +
            "    \"jira_site_name\": \"Caf\\u00e9\",\n" +
            "    \"revision\": 1\n" +
            "  }\n" +
            "}"));
    }

    [Test]
    public async Task AbsentOptionalFieldsAreWrittenAbsentNotNull()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(7, GrantBuilder.Minimal(cipher), None);
        }

        var record = (JObject)StoreFiles.ReadJson(folder.TokensFile)["7"]!;
        Assert.That(record.Properties().Select(property => property.Name), Is.EqualTo(RequiredAndDefaultedFields));
    }

    [Test]
    public async Task LastSaveForAUserWinsWholeWithoutMergingFields()
    {
        using var folder = new TempFolder();
        var second = GrantBuilder.Minimal(cipher, "second");
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(5, GrantBuilder.Full(cipher, "first"), None);
            await repository.SaveAsync(5, second, None);
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile);
        GrantBuilder.AssertSame(await reopened.GetAsync(5, None), second);
    }

    [Test]
    public async Task DeleteRemovesTheGrantDurablyAndSaysWhetherThereWasOne()
    {
        using var folder = new TempFolder();
        await using (var repository = StoreFiles.Open(folder.TokensFile))
        {
            await repository.SaveAsync(1, GrantBuilder.Minimal(cipher), None);
            await repository.SaveAsync(2, GrantBuilder.Minimal(cipher), None);
            var writes = repository.WriteCount;

            Assert.That(await repository.DeleteAsync(1, None), Is.True);
            Assert.That(await repository.DeleteAsync(1, None), Is.False);
            Assert.That(await repository.DeleteAsync(99, None), Is.False);
            Assert.That(repository.WriteCount, Is.EqualTo(writes + 1), "deleting nothing writes nothing");
        }

        await using var reopened = StoreFiles.Open(folder.TokensFile);
        Assert.That(await reopened.GetAsync(1, None), Is.Null);
        Assert.That(await reopened.GetAsync(2, None), Is.Not.Null);
    }

    [Test]
    public async Task DeletingTheLastGrantLeavesAnEmptyObject()
    {
        using var folder = new TempFolder();
        var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Minimal(cipher), None);
        await repository.DeleteAsync(1, None);
        Assert.That(StoreFiles.ReadJson(folder.TokensFile).Properties(), Is.Empty);
        await repository.DisposeAsync();

        Assert.That(File.ReadAllText(folder.TokensFile), Is.EqualTo("{}"));
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public async Task FileJournalAndLockFileAreReadableByTheOwnerOnly()
    {
        using var folder = new TempFolder();
        var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Minimal(cipher), None);

        Assert.That(File.GetUnixFileMode(folder.TokensFile + ".journal"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(folder.TokensFile + ".lock"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        await repository.DisposeAsync();
        Assert.That(File.GetUnixFileMode(folder.TokensFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task ReadsAreServedFromMemoryWithoutAllocating()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);
        var grant = GrantBuilder.Minimal(cipher);
        await repository.SaveAsync(1, grant, None);
        File.Delete(folder.TokensFile);

        StoredGrant? found = null;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var lookup = repository.GetAsync(1, None);
            found = lookup.IsCompletedSuccessfully ? lookup.Result : null;
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        GrantBuilder.AssertSame(found, grant);
    }

    [Test]
    public void GrantWithAnUnknownFieldThatIsNotJsonIsRefusedBeforeAnythingIsWritten()
    {
        using var folder = new TempFolder();
        using var repository = StoreFiles.Open(folder.TokensFile);
        var grant = GrantBuilder.Minimal(cipher) with { UnknownFields = new Dictionary<string, string> { ["broken"] = "{not json" } };

        Assert.That(() => repository.SaveAsync(1, grant, None), Throws.ArgumentException);
        Assert.That(File.Exists(folder.TokensFile), Is.False);
    }

    [Test]
    public async Task DisposeWritesWhatIsQueuedAndThenRefusesChanges()
    {
        using var folder = new TempFolder();
        var repository = StoreFiles.Open(folder.TokensFile);
        var saves = Enumerable.Range(1, 50).Select(id => repository.SaveAsync(id, GrantBuilder.Minimal(cipher, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), None)).ToList();
        await repository.DisposeAsync();

        Assert.That(saves.All(save => save.IsCompletedSuccessfully), Is.True);
        Assert.That(() => repository.SaveAsync(99, GrantBuilder.Minimal(cipher), None), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(await repository.IsHealthyAsync(None), Is.False);
        await using var reopened = StoreFiles.Open(folder.TokensFile);
        Assert.That(await reopened.CountAsync(None), Is.EqualTo(50));
    }

    [Test]
    public async Task HealthyWhenTheFolderIsWritableAndNoWriteFailed()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Minimal(cipher), None);

        Assert.That(await repository.IsHealthyAsync(None), Is.True);
        Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.JournalAndLock), "health checks leave nothing behind");
    }

    [Test]
    public async Task HealthChecksTouchNoFileWhileWritesSucceed()
    {
        using var folder = new TempFolder();
        await using var repository = StoreFiles.Open(folder.TokensFile);
        await repository.SaveAsync(1, GrantBuilder.Minimal(cipher), None);
        var touched = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watcher = new FileSystemWatcher(folder.Path) { IncludeSubdirectories = false, EnableRaisingEvents = true };
        watcher.Created += (_, change) => touched.Enqueue(change.Name ?? "?");
        watcher.Deleted += (_, change) => touched.Enqueue(change.Name ?? "?");
        watcher.Changed += (_, change) => touched.Enqueue(change.Name ?? "?");

        for (var call = 0; call < 200; call++)
        {
            Assert.That(await repository.IsHealthyAsync(None), Is.True);
        }

        // The watcher's events arrive asynchronously: a save afterwards shows they flow, and should be all there is.
        await repository.SaveAsync(2, GrantBuilder.Minimal(cipher), None);
        Assert.That(await Eventually.TrueAsync(() => touched.Contains("user_tokens.json.journal")), Is.True, "the watcher sees the save");
        Assert.That(touched.Distinct(), Is.EqualTo(new[] { "user_tokens.json.journal" }), "/health is unauthenticated and unlimited: it must not create files");
    }
}
