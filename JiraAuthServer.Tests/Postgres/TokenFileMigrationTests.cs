using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>import-file and export-file underneath: between a token file and the database, both ways.</summary>
public sealed class TokenFileMigrationTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();
    private TestDatabase database = null!;
    private PostgresDatabase opened = null!;
    private PostgresTokenRepository repository = null!;
    private TempFolder folder = null!;

    [SetUp]
    public async Task SetUp()
    {
        database = await TestDatabase.CreateAsync();
        opened = database.Open();
        repository = new PostgresTokenRepository(opened);
        folder = new TempFolder();
    }

    [TearDown]
    public async Task TearDown()
    {
        folder.Dispose();
        await opened.DisposeAsync();
        await database.DisposeAsync();
    }

    [Test]
    public async Task An_import_into_an_empty_database_inserts_every_grant_whole()
    {
        var grants = await WriteFileAsync(KeyValuePair.Create(1L, GrantBuilder.Full(cipher, "a")), KeyValuePair.Create(2L, GrantBuilder.Minimal(cipher, "b")));

        var result = await TokenFileImport.ImportAsync(opened, grants, None);

        Assert.That(result, Is.EqualTo(new TokenFileImportResult(2, 0, 0, result.SkippedNewer)));
        Assert.That(result.SkippedNewer, Is.Empty);
        GrantBuilder.AssertSame(await repository.GetAsync(1, None), grants[0].Value);
        GrantBuilder.AssertSame(await repository.GetAsync(2, None), grants[1].Value);
    }

    [Test]
    public async Task Import_and_export_report_their_progress_batch_by_batch()
    {
        var total = TokenFileExport.ReportEvery + 3;
        var grants = Enumerable.Range(1, total).Select(user => KeyValuePair.Create((long)user, GrantBuilder.Minimal(cipher, $"g{user}"))).ToList();
        var imported = new RecordingProgress();
        var exported = new RecordingProgress();

        await TokenFileImport.ImportAsync(opened, grants, imported, None);
        var written = await TokenFileExport.WriteAsync(repository, folder.TokensFile, exported, None);

        var batch = PostgresTokenRepository.BatchSize;
        Assert.That(imported.Reports.Select(report => report.Done), Is.EqualTo(Enumerable.Range(1, total / batch).Select(step => step * batch).Append(total)));
        Assert.That(imported.Reports.Select(report => report.Total), Is.All.EqualTo(total));
        Assert.That(exported.Reports.Select(report => report.Done), Is.EqualTo(new[] { 0, TokenFileExport.ReportEvery, total }));
        Assert.That(written, Is.EqualTo(total));
    }

    [Test]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        var grants = await WriteFileAsync(KeyValuePair.Create(1L, GrantBuilder.Full(cipher, "a")), KeyValuePair.Create(2L, GrantBuilder.Minimal(cipher, "b")));
        await TokenFileImport.ImportAsync(opened, grants, None);
        var before = await database.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY telegram_user_id) FROM jira_auth_grants");

        var again = await TokenFileImport.ImportAsync(opened, grants, None);

        Assert.That(again.Unchanged, Is.EqualTo(2));
        Assert.That(again.Inserted + again.Updated + again.SkippedNewer.Count, Is.Zero);
        Assert.That(await database.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY telegram_user_id) FROM jira_auth_grants"), Is.EqualTo(before), "no row was rewritten");
    }

    [Test]
    public async Task A_newer_database_record_is_never_overwritten_and_an_older_one_is_updated()
    {
        var t0 = GrantBuilder.Now;
        await repository.SaveAsync(1, GrantBuilder.Minimal(cipher, "refreshed-in-db") with { UpdatedAt = t0.AddHours(1) }, None);
        await repository.SaveAsync(2, GrantBuilder.Minimal(cipher, "stale-in-db") with { UpdatedAt = t0.AddHours(-1) }, None);
        await repository.SaveAsync(3, GrantBuilder.Minimal(cipher, "no-time-in-db"), None);
        var grants = await WriteFileAsync(
            KeyValuePair.Create(1L, GrantBuilder.Minimal(cipher, "file") with { UpdatedAt = t0 }),
            KeyValuePair.Create(2L, GrantBuilder.Minimal(cipher, "file") with { UpdatedAt = t0 }),
            KeyValuePair.Create(3L, GrantBuilder.Minimal(cipher, "file") with { UpdatedAt = t0 }),
            KeyValuePair.Create(4L, GrantBuilder.Minimal(cipher, "file") with { UpdatedAt = t0 }));

        var result = await TokenFileImport.ImportAsync(opened, grants, None);

        Assert.That(result.Inserted, Is.EqualTo(1));
        Assert.That(result.Updated, Is.EqualTo(2));
        Assert.That(result.SkippedNewer, Is.EqualTo(new long[] { 1 }));
        Assert.That(AccessToken(await repository.GetAsync(1, None)), Is.EqualTo("access-refreshed-in-db"));
        Assert.That(AccessToken(await repository.GetAsync(2, None)), Is.EqualTo("access-file"));
        Assert.That(AccessToken(await repository.GetAsync(3, None)), Is.EqualTo("access-file"));
    }

    [Test]
    public async Task An_import_that_fails_imports_nothing()
    {
        var good = GrantBuilder.Minimal(cipher, "good");
        var bad = GrantBuilder.Minimal(cipher) with { Scope = "bad\0scope" };

        Assert.That(async () => await TokenFileImport.ImportAsync(opened, [KeyValuePair.Create(1L, good), KeyValuePair.Create(2L, bad)], None), Throws.InstanceOf<TokenStoreException>());

        Assert.That(await repository.CountAsync(None), Is.Zero);
    }

    [Test]
    public async Task Export_then_import_is_a_round_trip()
    {
        var full = GrantBuilder.Full(cipher, "a");
        var minimal = GrantBuilder.Minimal(cipher, "b");
        await repository.SaveManyAsync([KeyValuePair.Create(1L, full), KeyValuePair.Create(2L, minimal)], None);

        var written = await TokenFileExport.WriteAsync(repository, folder.TokensFile, None);

        Assert.That(written, Is.EqualTo(2));
        await using (var file = StoreFiles.Open(folder.TokensFile, cipher))
        {
            GrantBuilder.AssertSame(await file.GetAsync(1, None), full);
            GrantBuilder.AssertSame(await file.GetAsync(2, None), minimal);
            var result = await TokenFileImport.ImportAsync(opened, await file.ListAsync(None), None);
            Assert.That(result.Unchanged, Is.EqualTo(2));
        }

        Assert.That(folder.FileNames(), Is.EqualTo(StoreFiles.FileAndLock), "no temporary file left");
    }

    [Test]
    public async Task Export_replaces_an_existing_file_whole()
    {
        await WriteFileAsync(KeyValuePair.Create(9L, GrantBuilder.Minimal(cipher, "old")));
        await repository.SaveAsync(1, GrantBuilder.Minimal(cipher, "new"), None);

        await TokenFileExport.WriteAsync(repository, folder.TokensFile, None);

        await using var file = StoreFiles.Open(folder.TokensFile, cipher);
        Assert.That((await file.ListAsync(None)).Select(pair => pair.Key), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task Export_refuses_while_a_server_runs_on_the_file()
    {
        await using var running = StoreFiles.Open(folder.TokensFile, cipher);
        await running.SaveAsync(9, GrantBuilder.Minimal(cipher), None);
        var before = StoreFiles.Sha256(folder.TokensFile + ".journal");

        Assert.That(async () => await TokenFileExport.WriteAsync(repository, folder.TokensFile, None), Throws.InstanceOf<TokenStoreLockedException>());

        Assert.That(StoreFiles.Sha256(folder.TokensFile + ".journal"), Is.EqualTo(before));
        Assert.That(File.Exists(folder.TokensFile), Is.False, "no snapshot was written beside the running server");
    }

    private string AccessToken(StoredGrant? grant) => cipher.Decrypt(grant!.EncryptedAccessToken);

    /// <summary>Writes the grants through the file store and reads them back as the import command does.</summary>
    private async Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> WriteFileAsync(params KeyValuePair<long, StoredGrant>[] grants)
    {
        await using var file = StoreFiles.Open(folder.TokensFile, cipher);
        await file.SaveManyAsync(grants, None);
        return (await file.ListAsync(None)).OrderBy(pair => pair.Key).ToList();
    }
}
