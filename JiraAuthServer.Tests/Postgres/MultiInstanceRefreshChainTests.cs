using System.Diagnostics;
using System.Net;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Postgres;

/// <summary>
/// Races and faults that used to break a user's refresh-token chain on PostgreSQL (issue 13, defects 1-3), with two
/// built servers and a fake Atlassian that enforces rotation without leeway, as Atlassian does after 10 minutes: a
/// disabled refresh token sent once kills the grant. Access tokens live a minute, inside the refresh margin, so every
/// request refreshes and sends whatever refresh token is stored.
/// </summary>
public sealed class MultiInstanceRefreshChainTests
{
    private const long UserId = 4343;
    private const string OldKey = MultiInstanceContext.EncryptionKey;
    private const string NewKey = "CXPtkOcESuC8qq6_-ZhbW0kY1WD6lZlxsDvqR921SEo=";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FernetTokenCipher rotatingCipher = FernetTokenCipher.FromEncryptionKey($"{NewKey},{OldKey}");

    [Test]
    public async Task A_refresh_racing_rotate_keys_is_stored_and_the_user_stays_connected_on_both_instances()
    {
        await using var context = await CreateAsync();
        var rotating = new Dictionary<string, string> { ["ENCRYPTION_KEY"] = $"{NewKey},{OldKey}", ["ATLASSIAN_TIMEOUT"] = "60s" };
        await context.StartAllAsync(rotating);
        await context.SeedGrantAboutToExpireAsync(UserId);
        context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(10);

        var held = MultiInstanceContext.GetTokenAsync(context.Servers[0], UserId);
        await WaitUntilAsync(() => context.Atlassian.RefreshCount == 1, "Atlassian carried out the refresh and holds its answer");
        var (exitCode, output) = await ServerProcess.RunToEndAsync(["rotate-keys"], context.Environment(rotating), context.NewFolder());
        var rotatedWhileHeld = !held.IsCompleted;
        var first = await held;
        context.Atlassian.TokenResponseDelay = TimeSpan.Zero;
        var stored = await StoredGrantAsync(context);
        var current = context.Atlassian.Families.Single().CurrentRefreshToken;
        var onA = await MultiInstanceContext.GetTokenAsync(context.Servers[0], UserId);
        var onB = await MultiInstanceContext.GetTokenAsync(context.Servers[1], UserId);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Re-encrypted 1 of 1 grants"));
        Assert.That(rotatedWhileHeld, Is.True, "rotate-keys ran while Atlassian's answer was held");
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), context.Output);
        Assert.That(rotatingCipher.Decrypt(stored.EncryptedRefreshToken), Is.EqualTo(current), "the rotated refresh token was stored, not thrown away");
        Assert.That(onA.Status, Is.EqualTo(HttpStatusCode.OK), context.Output);
        Assert.That(onB.Status, Is.EqualTo(HttpStatusCode.OK), context.Output);
        Assert.That(onB.Body.ToString(), Does.Not.Contain("reauthorization_required"));
        Assert.That(context.Atlassian.RefreshCount, Is.EqualTo(3), "each request refreshed");
        Assert.That(context.Atlassian.RefreshReuseCount, Is.Zero, "no disabled refresh token was ever sent");
        Assert.That(context.Atlassian.RevokedFamilyCount, Is.Zero);
    }

    [Test]
    public async Task An_instance_whose_keys_cannot_open_the_grant_answers_503_and_leaves_it_alone_for_the_others()
    {
        await using var context = await CreateAsync();
        await using var bot = await FakeBotWebhook.StartAsync();
        var webhook = new Dictionary<string, string> { ["BOT_WEBHOOK_URL"] = bot.Url.ToString(), ["WEBHOOK_SECRET"] = "webhook-secret-7Qz" };
        await context.SeedGrantAboutToExpireAsync(UserId);
        // The roll-out under way: B still on the old key alone, A already writing under the new one.
        await using var instanceB = await ServerProcess.StartAsync(context.Environment(new Dictionary<string, string>(webhook) { ["ENCRYPTION_KEY"] = OldKey }), context.NewFolder(), context.Ports[1]);
        await using var instanceA = await ServerProcess.StartAsync(context.Environment(new Dictionary<string, string>(webhook) { ["ENCRYPTION_KEY"] = $"{NewKey},{OldKey}" }), context.NewFolder(), context.Ports[0]);
        var refreshedByA = await MultiInstanceContext.GetTokenAsync(instanceA, UserId);
        var writtenByA = await StoredGrantAsync(context);

        var onB = await MultiInstanceContext.GetTokenAsync(instanceB, UserId);
        var afterB = await StoredGrantAsync(context);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var webhookCalls = bot.Calls.Count;
        var onA = await MultiInstanceContext.GetTokenAsync(instanceA, UserId);

        Assert.That(refreshedByA.Status, Is.EqualTo(HttpStatusCode.OK), instanceA.Output);
        Assert.That(rotatingCipher.IsEncryptedWithPrimaryKey(writtenByA.EncryptedRefreshToken), Is.True, "A wrote under the new key");
        Assert.That(onB.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), instanceB.Output);
        Assert.That(onB.Body.ToString(), Does.Contain("cannot decrypt the stored grant").And.Contain("ENCRYPTION_KEY"));
        Assert.That(onB.Body.ToString(), Does.Not.Contain("reauthorization_required"));
        Assert.That(instanceB.Output, Does.Contain($"Grant of user {UserId}: none of this server's keys opens"));
        Assert.That(afterB.ReauthorizationRequiredAt, Is.Null, "B did not mark the grant");
        Assert.That(afterB.Revision, Is.EqualTo(writtenByA.Revision), "B wrote nothing");
        Assert.That(webhookCalls, Is.Zero, "no reauthorization_required event went to the bot");
        Assert.That(onA.Status, Is.EqualTo(HttpStatusCode.OK), instanceA.Output);
        Assert.That(context.Atlassian.RevokedFamilyCount, Is.Zero);
    }

    [Test]
    public async Task A_rotated_refresh_token_the_database_failed_to_take_is_stored_once_it_is_back_and_sent_next()
    {
        await using var cluster = await PostgresFixture.StartPrivateClusterAsync();
        await using var context = await CreateAsync(cluster);
        await context.StartAllAsync(new Dictionary<string, string> { ["ATLASSIAN_TIMEOUT"] = "60s" });
        await context.SeedGrantAboutToExpireAsync(UserId);
        context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(5);

        var during = MultiInstanceContext.GetTokenAsync(context.Servers[0], UserId);
        await WaitUntilAsync(() => context.Atlassian.RefreshCount == 1, "Atlassian carried out the refresh and holds its answer");
        await cluster.StopServerAsync();
        var failed = await during;
        context.Atlassian.TokenResponseDelay = TimeSpan.Zero;
        var rotated = context.Atlassian.Families.Single().CurrentRefreshToken;
        await cluster.StartServerAsync();
        var storedWithoutRequest = await EventuallyAsync(async () => rotatingCipher.Decrypt((await StoredGrantAsync(context)).EncryptedRefreshToken) == rotated, TimeSpan.FromSeconds(90));
        var requestsBefore = context.Atlassian.TokenRequestCount;
        var next = await MultiInstanceContext.GetTokenAsync(context.Servers[1], UserId);

        Assert.That(failed.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), context.Output);
        Assert.That(storedWithoutRequest, Is.True, "the background retry stored the rotated refresh token\n" + context.Output);
        Assert.That(requestsBefore, Is.EqualTo(1), "storing it needed no second call to Atlassian");
        Assert.That(next.Status, Is.EqualTo(HttpStatusCode.OK), context.Output);
        Assert.That(context.Atlassian.TokenRequests[^1].Fields["refresh_token"], Is.EqualTo(rotated), "the next refresh sent the live token");
        Assert.That(context.Atlassian.RefreshReuseCount, Is.Zero);
        Assert.That(context.Atlassian.RevokedFamilyCount, Is.Zero);
    }

    private static async Task<MultiInstanceContext> CreateAsync(PostgresTestCluster? cluster = null)
    {
        var context = await MultiInstanceContext.CreateAsync(instances: 2, cluster);
        context.Atlassian.RefreshReuseLeeway = TimeSpan.Zero;
        context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(1);
        return context;
    }

    private static async Task<StoredGrant> StoredGrantAsync(MultiInstanceContext context) =>
        (await new PostgresTokenRepository(context.Database.Open()).GetAsync(UserId, None))!;

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"waiting until {what}");
            await Task.Delay(50);
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is TokenStoreException or DatabaseStartupException)
            {
                // The database is still coming back.
            }

            await Task.Delay(250);
        }

        return false;
    }
}
