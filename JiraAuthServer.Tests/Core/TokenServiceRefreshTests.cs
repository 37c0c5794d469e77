using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

public sealed class TokenServiceRefreshTests
{
    private RefreshTestContext context = null!;

    [SetUp]
    public void SetUp() => context = new RefreshTestContext();

    [TearDown]
    public void TearDown() => context.Dispose();

    [Test]
    public async Task A_token_with_more_than_the_margin_left_is_served_without_calling_Atlassian()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(6)));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(lookup.AccessToken, Is.EqualTo("access-1"));
        context.Atlassian.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Inside_the_margin_the_token_is_refreshed_and_everything_else_in_the_record_survives()
    {
        var before = (await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(4))))!;
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var after = (await context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None))!;
        Assert.That(lookup.AccessToken, Is.EqualTo("access-2"));
        Assert.That(context.Cipher.Decrypt(after.EncryptedRefreshToken), Is.EqualTo("refresh-2"));
        Assert.That(after.ExpiresAt, Is.EqualTo(RefreshTestContext.Start.AddHours(1)));
        Assert.That(after.UpdatedAt, Is.EqualTo(RefreshTestContext.Start));
        Assert.That(after.CreatedAt, Is.EqualTo(before.CreatedAt));
        Assert.That(after.JiraAccountId, Is.EqualTo(before.JiraAccountId));
        Assert.That(after.JiraEmail, Is.EqualTo(before.JiraEmail));
        Assert.That(after.JiraCloudId, Is.EqualTo(before.JiraCloudId));
        Assert.That(after.UnknownFields, Is.EquivalentTo(before.UnknownFields));
    }

    [Test]
    public async Task A_refresh_answer_without_a_refresh_token_keeps_the_old_one()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", null));

        await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var after = (await context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None))!;
        Assert.That(context.Cipher.Decrypt(after.EncryptedRefreshToken), Is.EqualTo("refresh-1"));
        Assert.That(context.Cipher.Decrypt(after.EncryptedAccessToken), Is.EqualTo("access-2"));
    }

    [Test]
    public async Task Fifty_concurrent_requests_cause_one_refresh_and_all_get_the_same_new_token()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)));
        var gate = new TaskCompletionSource<AtlassianTokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).Returns(gate.Task);

        var requests = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() => context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None)))
            .ToList();
        await Task.Delay(100);
        gate.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
        var lookups = await Task.WhenAll(requests);

        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(lookups.Select(l => l.AccessToken), Is.All.EqualTo("access-2"));
        Assert.That(context.Repository.Saves, Is.EqualTo(2), "one save to seed, one for the refresh");
    }

    [Test]
    public async Task Different_users_refresh_in_parallel()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start), userId: 1);
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start).WithRefreshToken("refresh-b"), userId: 2);
        var bothStarted = new CountdownEvent(2);
        var release = new TaskCompletionSource<AtlassianTokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Atlassian.Setup(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                bothStarted.Signal();
                return release.Task;
            });

        var first = context.Service.GetTokenAsync(1, CancellationToken.None);
        var second = context.Service.GetTokenAsync(2, CancellationToken.None);

        Assert.That(bothStarted.Wait(TimeSpan.FromSeconds(5)), Is.True, "the second user's refresh waited for the first");
        release.SetResult(RefreshTestContext.Response("access-new", "refresh-new"));
        await Task.WhenAll(first, second);
    }

    [TestCase("invalid_grant")]
    [TestCase("unauthorized_client")]
    public async Task A_dead_grant_is_marked_and_kept_and_the_user_must_authorize_again(string error)
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, error));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var again = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var stored = await context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None);
        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        Assert.That(again.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        Assert.That(stored, Is.Not.Null, "kept for audit");
        Assert.That(stored!.ReauthorizationRequiredAt, Is.EqualTo(RefreshTestContext.Start));
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task A_transient_failure_before_expiry_serves_the_current_token_and_backs_off()
    {
        var before = await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "down", 500));

        var first = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var second = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        context.Clock.Advance(TimeSpan.FromSeconds(2));
        await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(first.AccessToken, Is.EqualTo("access-1"));
        Assert.That(second.AccessToken, Is.EqualTo("access-1"));
        Assert.That(await context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None), Is.EqualTo(before), "grant untouched");
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task A_transient_failure_after_expiry_answers_unavailable_with_Atlassians_retry_after()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "slow down", 429, retryAfter: TimeSpan.FromSeconds(7)));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        context.Clock.Advance(TimeSpan.FromSeconds(3));
        var during = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.AtlassianUnavailable));
        Assert.That(lookup.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(during.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(4)));
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task An_expired_grant_without_a_refresh_token_needs_a_new_authorization()
    {
        await Store(new GrantBuilder().WithRefreshToken(string.Empty).ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        context.Atlassian.VerifyNoOtherCalls();
    }

    [TestCase(false, TestName = "A valid access token this server cannot decrypt")]
    [TestCase(true, TestName = "An expired grant whose refresh token this server cannot decrypt")]
    public async Task A_record_this_server_cannot_decrypt_is_left_as_it_is_and_answered_as_a_key_problem(bool expired)
    {
        // Written by an instance that already has a key this one lacks, as during a key roll-out.
        var newerKey = new PrefixTestCipher("newer");
        var before = await Store(new GrantBuilder(newerKey).ExpiringAt(RefreshTestContext.Start.Add(expired ? TimeSpan.FromMinutes(-1) : TimeSpan.FromHours(1))));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var again = await context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var stored = await context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None);
        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Unreadable), "only Atlassian declares a grant dead");
        Assert.That(lookup.RefreshOutcome, Is.EqualTo(RefreshOutcome.Unreadable));
        Assert.That(again.Status, Is.EqualTo(TokenLookupStatus.Unreadable));
        Assert.That(stored!.Revision, Is.EqualTo(before!.Revision), "never written by an instance that cannot open it");
        Assert.That(stored.ReauthorizationRequiredAt, Is.Null);
        Assert.That(context.Events.Raised, Is.Empty);
        Assert.That(context.Logger.Lines, Has.Some.StartsWith($"Error: Grant of user {RefreshTestContext.UserId}").And.Contains("ENCRYPTION_KEY"));
        Assert.That(context.Logger.Lines, Has.None.Contains("access-1").And.None.Contains("refresh-1"));
        context.Atlassian.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_unknown_user_is_not_found()
    {
        var lookup = await context.Service.GetTokenAsync(7, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.NotFound));
    }

    private async Task<JiraAuthServer.Core.Grants.StoredGrant?> Store(GrantBuilder builder, long userId = RefreshTestContext.UserId)
    {
        await context.Repository.SaveAsync(userId, builder.Build(), CancellationToken.None);
        return await context.Repository.GetAsync(userId, CancellationToken.None);
    }
}
