using System.Net;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Support;
using Npgsql;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>rotate-keys on the database, which may run while the servers do.</summary>
public sealed class PostgresKeyRotationTests
{
    private const string OldKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private const string NewKey = "CXPtkOcESuC8qq6_-ZhbW0kY1WD6lZlxsDvqR921SEo=";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FernetTokenCipher oldCipher = FernetTokenCipher.FromEncryptionKey(OldKey);
    private readonly FernetTokenCipher rotatingCipher = FernetTokenCipher.FromEncryptionKey($"{NewKey},{OldKey}");

    [Test]
    public async Task A_refresh_that_lands_during_the_rotation_wins_and_is_rotated_not_lost()
    {
        await using var database = await TestDatabase.CreateAsync();
        var opened = database.Open();
        var repository = new PostgresTokenRepository(opened);
        await repository.SaveAsync(1, Grant(oldCipher, "access-old"), None);
        await repository.SaveAsync(2, Grant(oldCipher, "access-other"), None);

        // A server's refresh saving user 1 right now, as ReplaceAsync does (a new revision): its transaction is open
        // when the rotation starts.
        await using var server = new NpgsqlConnection(database.Cluster.ConnectionString(database.Name));
        await server.OpenAsync();
        await using var refresh = await server.BeginTransactionAsync();
        await using (var save = new NpgsqlCommand("UPDATE jira_auth_grants SET access_token = $1, revision = nextval('jira_auth_grant_revisions') WHERE telegram_user_id = 1", server))
        {
            save.Parameters.Add(new NpgsqlParameter<string> { TypedValue = oldCipher.Encrypt("access-refreshed") });
            await save.ExecuteNonQueryAsync();
        }

        var rotation = KeyRotation.RotateAsync(repository, rotatingCipher, None);
        await Task.Delay(500);
        Assert.That(rotation.IsCompleted, Is.False, "the rotation waits for the save in progress");
        await refresh.CommitAsync();
        var result = await rotation.WaitAsync(TimeSpan.FromSeconds(30));

        var user1 = (await repository.GetAsync(1, None))!;
        Assert.That(result.Rewritten, Is.EqualTo(2));
        Assert.That(rotatingCipher.Decrypt(user1.EncryptedAccessToken), Is.EqualTo("access-refreshed"));
        Assert.That(rotatingCipher.IsEncryptedWithPrimaryKey(user1.EncryptedAccessToken), Is.True);
        Assert.That(rotatingCipher.IsEncryptedWithPrimaryKey((await repository.GetAsync(2, None))!.EncryptedRefreshToken), Is.True);
    }

    [Test]
    public async Task Rotate_keys_runs_beside_a_running_server_and_afterwards_the_new_key_alone_serves()
    {
        await using var context = await MultiInstanceContext.CreateAsync(instances: 1);
        var repository = new PostgresTokenRepository(context.Database.Open());
        var tokens = context.Atlassian.IssueTokens();
        await repository.SaveAsync(1, Grant(oldCipher, tokens.AccessToken), None);
        await context.StartAllAsync(new Dictionary<string, string> { ["ENCRYPTION_KEY"] = $"{NewKey},{OldKey}" });

        var (exitCode, output) = await ServerProcess.RunToEndAsync(["rotate-keys"], context.Environment(new Dictionary<string, string> { ["ENCRYPTION_KEY"] = $"{NewKey},{OldKey}" }), context.NewFolder());
        var servedMeanwhile = await MultiInstanceContext.GetTokenAsync(context.Servers[0], 1);
        await using var newKeyOnly = await ServerProcess.StartAsync(context.Environment(new Dictionary<string, string> { ["ENCRYPTION_KEY"] = NewKey }), context.NewFolder());
        var servedByNewKey = await MultiInstanceContext.GetTokenAsync(newKeyOnly, 1);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Re-encrypted 1 of 1 grants"));
        Assert.That(servedMeanwhile.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(servedByNewKey.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(servedByNewKey.Body.Value<string>("access_token"), Is.EqualTo(tokens.AccessToken));
    }

    private static StoredGrant Grant(FernetTokenCipher cipher, string access) => new()
    {
        EncryptedAccessToken = cipher.Encrypt(access),
        EncryptedRefreshToken = cipher.Encrypt("refresh-" + access),
        ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(50),
        JiraCloudId = Fakes.FakeAtlassianSite.DefaultCloudId,
    };
}
