using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>
/// Atlassian answered a refresh but the store did not take it: the answer holds the only copy of the user's next
/// refresh token, so the refresher keeps storing it in the background until the store takes it or the grant changed.
/// </summary>
public sealed class RefreshStoreRetryTests
{
    private const long UserId = RefreshTestContext.UserId;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private RefreshTestContext context = null!;

    [SetUp]
    public void SetUp()
    {
        context = new RefreshTestContext();
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));
    }

    [TearDown]
    public void TearDown() => context.Dispose();

    [Test]
    public async Task Without_any_request_the_rotated_token_is_stored_once_the_store_is_back()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");

        var failed = await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);
        context.Repository.FailWrites = null;
        var stored = await context.Clock.AdvanceUntilAsync(StoredRefreshTokenIs("refresh-2"), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

        Assert.That(failed.Status, Is.EqualTo(TokenLookupStatus.StoreUnavailable));
        Assert.That(stored, Is.True, "stored in the background, with no request for the user");
        Assert.That(context.Clock.GetUtcNow() - RefreshTestContext.Start, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(2)), "the first retry comes after a second");
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Background_stores_wait_a_second_then_twice_as_long_each_time_up_to_thirty_seconds()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");
        await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);

        var attempts = new List<double>();
        var seen = context.Repository.FailedWrites;
        for (var second = 1; second <= 100; second++)
        {
            context.Clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.Settle();
            for (; seen < context.Repository.FailedWrites; seen++)
            {
                attempts.Add(second);
            }
        }

        Assert.That(attempts, Is.EqualTo(new double[] { 1, 3, 7, 15, 31, 61, 91 }));
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task A_request_meanwhile_stores_the_rotated_token_instead_of_sending_the_disabled_one()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");
        await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);
        context.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Settle();

        context.Repository.FailWrites = null;
        var lookup = await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);
        await context.Clock.AdvanceUntilAsync(() => false, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        Assert.That(lookup.AccessToken, Is.EqualTo("access-2"));
        Assert.That(StoredRefreshTokenIs("refresh-2")(), Is.True);
        Assert.That(context.Repository.Saves, Is.EqualTo(2), "one save to seed, one for the refresh: nothing after it");
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Background_stores_end_when_the_grant_changed_meanwhile()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");
        await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);
        context.Repository.FailWrites = null;

        var renewed = await Store(new GrantBuilder().WithAccessToken("access-new").WithRefreshToken("refresh-new").ExpiringAt(RefreshTestContext.Start.AddHours(1)));
        await context.Clock.AdvanceUntilAsync(() => false, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        GrantBuilder.AssertSame(await context.Repository.GetAsync(UserId, CancellationToken.None), renewed);
        Assert.That(context.Repository.Saves, Is.EqualTo(2), "the seed and the new authorization, nothing else");
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task A_stop_waits_for_a_refresh_in_flight_and_stores_its_answer()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        var answer = new TaskCompletionSource<AtlassianTokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).Returns(answer.Task);

        var request = context.Service.GetTokenAsync(UserId, CancellationToken.None);
        await Eventually.Settle();
        var drain = context.Refresher.DrainAsync(CancellationToken.None);
        await Eventually.Settle();
        var waited = !drain.IsCompleted;
        answer.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
        await drain.WaitAsync(Patience);

        Assert.That(waited, Is.True, "the stop waited for Atlassian's answer");
        Assert.That(StoredRefreshTokenIs("refresh-2")(), Is.True);
        Assert.That((await request.WaitAsync(Patience)).AccessToken, Is.EqualTo("access-2"));
        Assert.That(context.Logger.Lines, Has.None.Contains("stop"));
    }

    [Test]
    public async Task A_stop_gives_a_kept_answer_its_last_tries_and_logs_the_user_when_the_store_still_refuses()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");
        await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);

        var drain = context.Refresher.DrainAsync(CancellationToken.None);
        var ended = await context.Clock.AdvanceUntilAsync(() => drain.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        await drain.WaitAsync(Patience);

        Assert.That(ended, Is.True);
        Assert.That(context.Clock.GetUtcNow() - RefreshTestContext.Start, Is.InRange(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6)), "bounded by the grace");
        Assert.That(context.Repository.FailedWrites, Is.GreaterThanOrEqualTo(3), "tried again during the stop");
        Assert.That(context.Logger.Lines, Has.Some.StartsWith($"Error: 1 refreshed grants could not be stored before the stop, for users {UserId}:"));
        Assert.That(context.Logger.Lines, Has.None.Contains("access-2").And.None.Contains("refresh-2"));
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task A_kept_answer_is_stored_at_the_stop_when_the_store_is_back_within_the_grace()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));
        context.Repository.FailWrites = new TokenStoreWriteException("disk full");
        await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);

        var drain = context.Refresher.DrainAsync(CancellationToken.None);
        await Eventually.Settle();
        context.Repository.FailWrites = null;
        await context.Clock.AdvanceUntilAsync(() => drain.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        await drain.WaitAsync(Patience);

        Assert.That(StoredRefreshTokenIs("refresh-2")(), Is.True);
        Assert.That(context.Logger.Lines, Has.None.Contains("before the stop"));
    }

    [Test]
    public async Task Once_stopping_no_refresh_goes_to_Atlassian()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(2)));

        await context.Refresher.DrainAsync(CancellationToken.None).WaitAsync(Patience);
        var lookup = await context.Service.GetTokenAsync(UserId, CancellationToken.None).WaitAsync(Patience);

        Assert.That(lookup.AccessToken, Is.EqualTo("access-1"), "the stored token while it is valid");
        context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    private Func<bool> StoredRefreshTokenIs(string refreshToken) => () =>
        context.Repository.Peek(UserId) is { } grant && context.Cipher.Decrypt(grant.EncryptedRefreshToken) == refreshToken;

    private async Task<StoredGrant> Store(GrantBuilder builder)
    {
        await context.Repository.SaveAsync(UserId, builder.Build(), CancellationToken.None);
        return (await context.Repository.GetAsync(UserId, CancellationToken.None))!;
    }
}
