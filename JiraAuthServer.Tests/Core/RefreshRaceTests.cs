using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>What happens around a refresh while it waits for Atlassian: revokes, new authorizations, a failing store.</summary>
public sealed class RefreshRaceTests : RefreshTestFixture
{
    private const long UserId = RefreshTestContext.UserId;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    [Test]
    public async Task A_refresh_that_finishes_after_a_revoke_does_not_bring_the_grant_back()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        var answer = HoldRefreshAnswer();

        var request = Context.Service.GetTokenAsync(UserId, CancellationToken.None);
        Assert.That(await Context.Service.RevokeAsync(UserId, CancellationToken.None), Is.True);
        answer.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
        var lookup = await request.WaitAsync(Patience);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.NotFound));
        Assert.That(lookup.RefreshOutcome, Is.EqualTo(RefreshOutcome.Superseded));
        Assert.That(await Context.Repository.GetAsync(UserId, CancellationToken.None), Is.Null);
        Assert.That(Context.Logger.Lines, Has.Some.Contains($"user {UserId}: Superseded"));
    }

    [Test]
    public async Task A_dead_grant_answer_after_a_revoke_does_not_bring_the_grant_back()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        var answer = HoldRefreshAnswer();

        var request = Context.Service.GetTokenAsync(UserId, CancellationToken.None);
        await Context.Service.RevokeAsync(UserId, CancellationToken.None);
        answer.SetException(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, "invalid_grant"));
        var lookup = await request.WaitAsync(Patience);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.NotFound));
        Assert.That(await Context.Repository.GetAsync(UserId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_refresh_that_finishes_after_a_new_authorization_does_not_overwrite_it()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        var answer = HoldRefreshAnswer();

        var request = Context.Service.GetTokenAsync(UserId, CancellationToken.None);
        var renewed = await Store(new GrantBuilder().WithAccessToken("access-new").WithRefreshToken("refresh-new").ExpiringAt(RefreshTestContext.Start.AddHours(1)));
        answer.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
        var lookup = await request.WaitAsync(Patience);

        Assert.That(lookup.AccessToken, Is.EqualTo("access-new"));
        GrantBuilder.AssertSame(await Context.Repository.GetAsync(UserId, CancellationToken.None), renewed);
    }

    [Test]
    public async Task A_store_failure_after_Atlassian_rotated_answers_unavailable_and_the_next_attempt_stores_the_rotated_tokens_without_asking_again()
    {
        var before = await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));
        Context.Repository.FailWrites = new TokenStoreWriteException("disk full");

        // Not an IOException: every waiter must still get an answer instead of hanging.
        var failed = await Context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);
        var stillStored = await Context.Repository.GetAsync(UserId, CancellationToken.None);
        Context.Repository.FailWrites = null;
        var recovered = await Context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);

        Assert.That(failed.Status, Is.EqualTo(TokenLookupStatus.StoreUnavailable));
        Assert.That(failed.RefreshOutcome, Is.EqualTo(RefreshOutcome.StoreFailed));
        GrantBuilder.AssertSame(stillStored, before);
        Assert.That(recovered.AccessToken, Is.EqualTo("access-2"));
        var after = (await Context.Repository.GetAsync(UserId, CancellationToken.None))!;
        Assert.That(Context.Cipher.Decrypt(after.EncryptedRefreshToken), Is.EqualTo("refresh-2"));
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Tokens_kept_after_a_store_failure_are_dropped_when_the_user_was_revoked_meanwhile()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));
        Context.Repository.FailWrites = new TokenStoreWriteException("disk full");
        await Context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);
        Context.Repository.FailWrites = null;

        await Context.Service.RevokeAsync(UserId, CancellationToken.None);
        var lookup = await Context.Refresher.RefreshAsync(UserId, force: true).WaitAsync(Patience);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.NotFound));
        Assert.That(await Context.Repository.GetAsync(UserId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_request_waits_no_longer_than_the_Atlassian_timeout_and_is_answered_from_the_record()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)), userId: 1);
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-2)), userId: 2);
        var answer = HoldRefreshAnswer();

        var valid = Context.Service.GetTokenAsync(1, CancellationToken.None);
        var expired = Context.Service.GetTokenAsync(2, CancellationToken.None);
        var joined = Context.Service.GetTokenAsync(1, CancellationToken.None);
        await Eventually.Settle();
        Assert.That(valid.IsCompleted || expired.IsCompleted, Is.False, "waiting for the refresh at first");
        Context.Clock.Advance(Context.AtlassianSettings.RequestTimeout + TimeSpan.FromSeconds(3));
        var lookups = await Task.WhenAll(valid, expired, joined).WaitAsync(Patience);

        Assert.That(lookups[0].AccessToken, Is.EqualTo("access-1"));
        Assert.That(lookups[1].Status, Is.EqualTo(TokenLookupStatus.AtlassianUnavailable));
        Assert.That(lookups[1].RetryAfter, Is.EqualTo(Context.AtlassianSettings.RequestTimeout));
        Assert.That(lookups[2].AccessToken, Is.EqualTo("access-1"));
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2), "one per user");
        answer.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
    }

    private TaskCompletionSource<AtlassianTokenResponse> HoldRefreshAnswer()
    {
        var answer = new TaskCompletionSource<AtlassianTokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Context.Atlassian.Setup(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(answer.Task);
        return answer;
    }

    private async Task<StoredGrant> Store(GrantBuilder builder, long userId = UserId)
    {
        await Context.Repository.SaveAsync(userId, builder.Build(), CancellationToken.None);
        return (await Context.Repository.GetAsync(userId, CancellationToken.None))!;
    }
}
