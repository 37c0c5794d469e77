using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>What only the database store does: columns an operator can read, transactions, several processes.</summary>
public sealed class PostgresTokenRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrefixTestCipher cipher = new();
    private TestDatabase database = null!;

    [SetUp]
    public async Task SetUp() => database = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await database.DisposeAsync();

    [Test]
    public async Task Columns_hold_the_same_encrypted_text_as_the_file_and_unknown_fields_as_jsonb()
    {
        var grant = GrantBuilder.Full(cipher, "a");
        await new PostgresTokenRepository(database.Open()).SaveAsync(1001, grant, None);

        Assert.That(await database.ScalarAsync<string>("SELECT access_token FROM jira_auth_grants WHERE telegram_user_id = 1001"), Is.EqualTo(grant.EncryptedAccessToken));
        Assert.That(await database.ScalarAsync<string>("SELECT refresh_token FROM jira_auth_grants WHERE telegram_user_id = 1001"), Is.EqualTo(grant.EncryptedRefreshToken));
        Assert.That(await database.ScalarAsync<string>("SELECT jira_site_name FROM jira_auth_grants WHERE telegram_user_id = 1001"), Is.EqualTo("Example Café"));
        Assert.That(await database.ScalarAsync<string>("SELECT unknown_fields -> 'legacy_flags' -> 'nested' ->> 'deep' FROM jira_auth_grants"), Is.EqualTo("x"));
        Assert.That(await database.ScalarAsync<int>("SELECT (unknown_fields ->> 'refresh_count')::int FROM jira_auth_grants"), Is.EqualTo(7));
        Assert.That(await database.ScalarAsync<string>("SELECT to_char(reauthorization_required_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM jira_auth_grants"), Is.EqualTo("2025-06-01 12:35:45.123456"));
    }

    [Test]
    public async Task A_grant_without_unknown_fields_or_optional_ones_is_stored_with_nulls_and_an_empty_object()
    {
        await new PostgresTokenRepository(database.Open()).SaveAsync(7, GrantBuilder.Minimal(cipher), None);

        Assert.That(await database.ScalarAsync<string>("SELECT unknown_fields::text FROM jira_auth_grants"), Is.EqualTo("{}"));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM jira_auth_grants WHERE created_at IS NULL AND jira_email IS NULL AND reauthorization_required_at IS NULL"), Is.EqualTo(1));
    }

    [Test]
    public async Task Unknown_field_values_come_back_as_the_compact_text_the_file_loader_makes()
    {
        var grant = GrantBuilder.Minimal(cipher) with
        {
            UnknownFields = new Dictionary<string, string> { ["shape"] = """{ "zeta" : 1, "alpha" : [ 2.50, "ü" ] }""", ["flag"] = "true" },
        };
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveAsync(7, grant, None);

        var stored = (await repository.GetAsync(7, None))!;

        Assert.That(stored.UnknownFields["flag"], Is.EqualTo("true"));
        Assert.That(JToken.DeepEquals(JToken.Parse(stored.UnknownFields["shape"]), JToken.Parse("""{"zeta":1,"alpha":[2.5,"ü"]}""")), Is.True, stored.UnknownFields["shape"]);
        Assert.That(stored.UnknownFields["shape"], Does.Not.Contain(" "), "compact, as the file loader keeps unknown values");
        Assert.That(stored.UnknownFields["shape"], Does.Contain("\\u00fc"), "non-ASCII escaped, as the file writes it");
    }

    [Test]
    public async Task A_failing_save_many_stores_none_of_its_grants_even_across_several_round_trips()
    {
        var repository = new PostgresTokenRepository(database.Open());
        var grants = Enumerable.Range(1, PostgresTokenRepository.BatchSize * 2 + 10)
            .Select(id => KeyValuePair.Create((long)id, GrantBuilder.Minimal(cipher)))
            .ToList();
        // PostgreSQL text cannot hold a NUL character: the last statement of the last round trip fails.
        grants[^1] = KeyValuePair.Create(grants[^1].Key, GrantBuilder.Minimal(cipher) with { Scope = "bad\0scope" });

        Assert.That(async () => await repository.SaveManyAsync(grants, None), Throws.InstanceOf<TokenStoreException>());

        Assert.That(await repository.CountAsync(None), Is.Zero);
    }

    [Test]
    public async Task A_write_by_one_process_is_read_by_another_at_once()
    {
        var first = new PostgresTokenRepository(database.Open());
        var second = new PostgresTokenRepository(database.Open());
        await second.SaveAsync(7, GrantBuilder.Minimal(cipher, "old"), None);
        Assert.That(await first.GetAsync(7, None), Is.Not.Null);

        await second.SaveAsync(7, GrantBuilder.Minimal(cipher, "new"), None);
        var seen = await first.GetAsync(7, None);
        await second.DeleteAsync(7, None);

        Assert.That(cipher.Decrypt(seen!.EncryptedAccessToken), Is.EqualTo("access-new"));
        Assert.That(await first.GetAsync(7, None), Is.Null);
    }

    [Test]
    public async Task A_read_is_a_primary_key_lookup()
    {
        var repository = new PostgresTokenRepository(database.Open());
        await repository.SaveManyAsync(Enumerable.Range(1, 2000).Select(id => KeyValuePair.Create((long)id, GrantBuilder.Minimal(cipher))).ToList(), None);
        await database.ExecuteAsync("ANALYZE jira_auth_grants");

        var plan = await database.ScalarAsync<string>(
            "EXPLAIN (FORMAT TEXT) SELECT * FROM jira_auth_grants WHERE telegram_user_id = 1234");

        Assert.That(plan, Does.Contain("Index Scan using jira_auth_grants_pkey"));
    }
}
