using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

public sealed class TokenServiceRefreshTests : RefreshTestFixture
{
    [Test]
    public async Task A_token_with_more_than_the_margin_left_is_served_without_calling_Atlassian()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(6)));

        var lookup = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(lookup.AccessToken, Is.EqualTo("access-1"));
        Context.Atlassian.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Inside_the_margin_the_token_is_refreshed_and_everything_else_in_the_record_survives()
    {
        var before = (await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(4))))!;
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var lookup = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var after = (await Context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None))!;
        Assert.That(lookup.AccessToken, Is.EqualTo("access-2"));
        Assert.That(Context.Cipher.Decrypt(after.EncryptedRefreshToken), Is.EqualTo("refresh-2"));
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
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", null));

        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var after = (await Context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None))!;
        Assert.That(Context.Cipher.Decrypt(after.EncryptedRefreshToken), Is.EqualTo("refresh-1"));
        Assert.That(Context.Cipher.Decrypt(after.EncryptedAccessToken), Is.EqualTo("access-2"));
    }

    [Test]
    public async Task Fifty_concurrent_requests_cause_one_refresh_and_all_get_the_same_new_token()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)));
        var gate = new TaskCompletionSource<AtlassianTokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).Returns(gate.Task);

        var requests = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() => Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None)))
            .ToList();
        await Task.Delay(100);
        gate.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
        var lookups = await Task.WhenAll(requests);

        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(lookups.Select(l => l.AccessToken), Is.All.EqualTo("access-2"));
        Assert.That(Context.Repository.Saves, Is.EqualTo(2), "one save to seed, one for the refresh");
    }

    [Test]
    public async Task Different_users_refresh_in_parallel()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start), userId: 1);
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start).WithRefreshToken("refresh-b"), userId: 2);
        var bothStarted = new CountdownEvent(2);
        var release = new TaskCompletionSource<AtlassianTokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Context.Atlassian.Setup(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                bothStarted.Signal();
                return release.Task;
            });

        var first = Context.Service.GetTokenAsync(1, CancellationToken.None);
        var second = Context.Service.GetTokenAsync(2, CancellationToken.None);

        Assert.That(bothStarted.Wait(TimeSpan.FromSeconds(5)), Is.True, "the second user's refresh waited for the first");
        release.SetResult(RefreshTestContext.Response("access-new", "refresh-new"));
        await Task.WhenAll(first, second);
    }

    [TestCase("invalid_grant")]
    [TestCase("unauthorized_client")]
    public async Task A_dead_grant_is_marked_and_kept_and_the_user_must_authorize_again(string error)
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, error));

        var lookup = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var again = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var stored = await Context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None);
        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        Assert.That(again.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        Assert.That(stored, Is.Not.Null, "kept for audit");
        Assert.That(stored!.ReauthorizationRequiredAt, Is.EqualTo(RefreshTestContext.Start));
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task A_transient_failure_before_expiry_serves_the_current_token_and_backs_off()
    {
        var before = await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "down", 500));

        var first = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var second = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        Context.Clock.Advance(TimeSpan.FromSeconds(2));
        await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(first.AccessToken, Is.EqualTo("access-1"));
        Assert.That(second.AccessToken, Is.EqualTo("access-1"));
        Assert.That(await Context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None), Is.EqualTo(before), "grant untouched");
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task A_transient_failure_after_expiry_answers_unavailable_with_Atlassians_retry_after()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "slow down", 429, retryAfter: TimeSpan.FromSeconds(7)));

        var lookup = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        Context.Clock.Advance(TimeSpan.FromSeconds(3));
        var during = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.AtlassianUnavailable));
        Assert.That(lookup.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(during.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(4)));
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task An_expired_grant_without_a_refresh_token_needs_a_new_authorization()
    {
        await Store(new GrantBuilder().WithRefreshToken(string.Empty).ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));

        var lookup = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        Context.Atlassian.VerifyNoOtherCalls();
    }

    [TestCase(false, TestName = "A valid access token this server cannot decrypt")]
    [TestCase(true, TestName = "An expired grant whose refresh token this server cannot decrypt")]
    public async Task A_record_this_server_cannot_decrypt_is_left_as_it_is_and_answered_as_a_key_problem(bool expired)
    {
        // Written by an instance that already has a key this one lacks, as during a key roll-out.
        var newerKey = new PrefixTestCipher("newer");
        var before = await Store(new GrantBuilder(newerKey).ExpiringAt(RefreshTestContext.Start.Add(expired ? TimeSpan.FromMinutes(-1) : TimeSpan.FromHours(1))));

        var lookup = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var again = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);

        var stored = await Context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None);
        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Unreadable), "only Atlassian declares a grant dead");
        Assert.That(lookup.RefreshOutcome, Is.EqualTo(RefreshOutcome.Unreadable));
        Assert.That(again.Status, Is.EqualTo(TokenLookupStatus.Unreadable));
        Assert.That(stored!.Revision, Is.EqualTo(before!.Revision), "never written by an instance that cannot open it");
        Assert.That(stored.ReauthorizationRequiredAt, Is.Null);
        Assert.That(Context.Events.Raised, Is.Empty);
        Assert.That(Context.Logger.Lines, Has.Some.StartsWith($"Error: Grant of user {RefreshTestContext.UserId}").And.Contains("ENCRYPTION_KEY"));
        Assert.That(Context.Logger.Lines, Has.None.Contains("access-1").And.None.Contains("refresh-1"));
        Context.Atlassian.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_unknown_user_is_not_found()
    {
        var lookup = await Context.Service.GetTokenAsync(7, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.NotFound));
    }

    private async Task<JiraAuthServer.Core.Grants.StoredGrant?> Store(GrantBuilder builder, long userId = RefreshTestContext.UserId)
    {
        await Context.Repository.SaveAsync(userId, builder.Build(), CancellationToken.None);
        return await Context.Repository.GetAsync(userId, CancellationToken.None);
    }
}
