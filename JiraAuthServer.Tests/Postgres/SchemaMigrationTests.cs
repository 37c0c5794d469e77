using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

public sealed class SchemaMigrationTests
{
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp() => database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    [Test]
    public async Task The_first_start_creates_the_schema_and_records_its_version()
    {
        database.Open();

        Assert.That(await database.ScalarAsync<int>("SELECT max(version) FROM jira_auth_schema_version"), Is.EqualTo(PostgresSchema.LatestVersion));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('jira_auth_grants', 'jira_auth_states')"), Is.EqualTo(2));
    }

    [Test]
    public async Task Starting_again_changes_nothing()
    {
        var first = new PostgresTokenRepository(database.Open());
        await first.SaveAsync(7, GrantBuilder.Minimal(), CancellationToken.None);

        var second = new PostgresTokenRepository(database.Open());
        database.Open();

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_schema_version"), Is.EqualTo(PostgresSchema.LatestVersion));
        Assert.That(await second.CountAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Servers_starting_at_the_same_moment_migrate_once_and_all_start()
    {
        using var gate = new ManualResetEventSlim();
        var starts = Enumerable.Range(0, 8)
            .Select(_ => Task.Factory.StartNew(() => { gate.Wait(); database.Open(); }, TaskCreationOptions.LongRunning))
            .ToArray();

        gate.Set();
        await Task.WhenAll(starts);

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_schema_version"), Is.EqualTo(PostgresSchema.LatestVersion));
    }

    [Test]
    public async Task A_version_2_database_gains_the_consent_columns_and_its_rows_count_from_created_at()
    {
        var before = new PostgresTokenRepository(database.Open());
        var grant = new GrantBuilder().Build() with { ReauthorizationRequiredAt = null };
        await before.SaveAsync(7, grant, CancellationToken.None);
        await database.ExecuteAsync("""
            DROP INDEX jira_auth_grants_connected, jira_auth_grants_reauthorization_required;
            ALTER TABLE jira_auth_grants DROP COLUMN consented_at, DROP COLUMN reauthorization_notice_sent_at;
            DELETE FROM jira_auth_schema_version WHERE version = 3;
            """);

        var after = new PostgresTokenRepository(database.Open());
        var migrated = (await after.GetAsync(7, CancellationToken.None))!;

        Assert.That(await database.ScalarAsync<int>("SELECT max(version) FROM jira_auth_schema_version"), Is.EqualTo(3));
        Assert.That(migrated.ConsentedAt, Is.Null);
        Assert.That(migrated.ReauthorizationDueAt, Is.EqualTo(grant.CreatedAt!.Value.AddDays(365)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE tablename = 'jira_auth_grants' AND indexname IN ('jira_auth_grants_connected', 'jira_auth_grants_reauthorization_required')"), Is.EqualTo(2), "a partial index per status for the listing");
        Assert.That((await after.ListPageAsync(0, 10, GrantStatus.Connected, CancellationToken.None)).Select(pair => pair.Key), Is.EqualTo(new long[] { 7 }));
    }

    [Test]
    public async Task A_schema_from_a_newer_server_stops_the_start_with_a_message()
    {
        database.Open();
        await database.ExecuteAsync("INSERT INTO jira_auth_schema_version (version) VALUES (99)");

        var failure = Assert.Throws<DatabaseStartupException>(() => database.Open())!;

        Assert.That(failure.Message, Does.Contain($"schema version 99, newer than this server's {PostgresSchema.LatestVersion}"));
    }
}
