using System.Collections.Concurrent;
using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>Backoff after transient failures, and the refresher's own retries inside Atlassian's reuse leeway.</summary>
public sealed class RefreshRetryTests
{
    private const long UserId = RefreshTestContext.UserId;
    private RefreshTestContext context = null!;
    private ConcurrentQueue<DateTimeOffset> calls = null!;

    [SetUp]
    public void SetUp()
    {
        context = new RefreshTestContext();
        calls = new ConcurrentQueue<DateTimeOffset>();
    }

    [TearDown]
    public void TearDown() => context.Dispose();

    [Test]
    public async Task After_a_timeout_the_refresher_tries_again_by_itself_and_stores_the_answer()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        context.Atlassian.SetupSequence(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "Atlassian did not answer within 10 s"))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var first = await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        var retried = await context.Clock.AdvanceUntilAsync(StoredRefreshTokenIs("refresh-2"), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.That(first.AccessToken, Is.EqualTo("access-1"), "served while valid");
        Assert.That(first.RefreshOutcome, Is.EqualTo(RefreshOutcome.Transient));
        Assert.That(retried, Is.True, "no request came, yet the grant was refreshed");
        Assert.That(context.Clock.GetUtcNow() - RefreshTestContext.Start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "not before the backoff");
    }

    [Test]
    public async Task Retries_double_their_wait_from_one_second_and_stop_inside_the_reuse_leeway()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        FailEveryRefresh(new AtlassianException(AtlassianFailureKind.Transient, "HTTP 500", 500));

        await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        await context.Clock.AdvanceUntilAsync(() => calls.Count >= 9, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(9));
        await context.Clock.AdvanceUntilAsync(() => calls.Count > 9, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));

        var offsets = calls.Select(call => (call - RefreshTestContext.Start).TotalSeconds).ToList();
        Assert.That(offsets, Is.EqualTo(new double[] { 0, 1, 3, 7, 15, 31, 63, 127, 255 }), "waits of 1, 2, 4 ... 128 s; the next, 256 s, would end past the follow-up window");
        Assert.That(offsets[^1], Is.LessThan(TimeSpan.FromMinutes(10).TotalSeconds), "all inside the leeway");
    }

    [Test]
    public async Task Waits_double_with_each_failure_in_a_row_up_to_the_longest_backoff()
    {
        context.Dispose();
        context = new RefreshTestContext(policy: new TokenPolicyOptions { LongestBackoff = TimeSpan.FromSeconds(8) });
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        FailEveryRefresh(new AtlassianException(AtlassianFailureKind.Transient, "HTTP 503", 503));

        var first = await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        await context.Clock.AdvanceUntilAsync(() => calls.Count >= 7, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var later = await context.Service.GetTokenAsync(UserId, CancellationToken.None);

        var offsets = calls.Select(call => (call - RefreshTestContext.Start).TotalSeconds).ToList();
        Assert.That(first.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(offsets, Is.EqualTo(new double[] { 0, 1, 3, 7, 15, 23, 31 }));
        Assert.That(later.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(8)), "capped");
    }

    [Test]
    public async Task One_transient_failure_with_an_expired_token_holds_requests_back_for_a_second_only()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        context.Atlassian.SetupSequence(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "HTTP 500", 500))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var failed = await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        context.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Settle();
        var after = await context.Service.GetTokenAsync(UserId, CancellationToken.None);

        Assert.That(failed.Status, Is.EqualTo(TokenLookupStatus.AtlassianUnavailable));
        Assert.That(failed.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(after.Status, Is.EqualTo(TokenLookupStatus.Served), "Atlassian is back two seconds later, and so is the user");
        Assert.That(after.AccessToken, Is.EqualTo("access-2"));
    }

    [Test]
    public async Task A_retry_after_is_followed_both_by_requests_and_by_the_refreshers_own_retry()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        context.Atlassian.SetupSequence(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "slow down", 429, retryAfter: TimeSpan.FromSeconds(7)))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var first = await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        context.Clock.Advance(TimeSpan.FromSeconds(6));
        var during = await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        var retried = await context.Clock.AdvanceUntilAsync(StoredRefreshTokenIs("refresh-2"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Assert.That(first.Status, Is.EqualTo(TokenLookupStatus.AtlassianUnavailable));
        Assert.That(first.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(during.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(retried, Is.True);
        Assert.That(context.Clock.GetUtcNow() - RefreshTestContext.Start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public async Task A_retry_after_far_in_the_future_is_capped()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(-1)));
        FailEveryRefresh(new AtlassianException(AtlassianFailureKind.Transient, "slow down", 429, retryAfter: TimeSpan.FromDays(1)));

        var lookup = await context.Service.GetTokenAsync(UserId, CancellationToken.None);

        Assert.That(lookup.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public async Task No_retry_follows_a_configuration_problem()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        FailEveryRefresh(new AtlassianException(AtlassianFailureKind.Rejected, "access_denied", 401, "access_denied"));

        var lookup = await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        await context.Clock.AdvanceUntilAsync(() => false, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2));

        Assert.That(lookup.RefreshOutcome, Is.EqualTo(RefreshOutcome.Rejected));
        Assert.That(lookup.AccessToken, Is.EqualTo("access-1"));
        Assert.That(calls, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_retry_stops_when_the_grant_changed_meanwhile()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        FailEveryRefresh(new AtlassianException(AtlassianFailureKind.Transient, "HTTP 502", 502));

        await context.Service.GetTokenAsync(UserId, CancellationToken.None);
        await Store(new GrantBuilder().WithRefreshToken("refresh-new").ExpiringAt(RefreshTestContext.Start.AddHours(1)));
        await context.Clock.AdvanceUntilAsync(() => false, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));

        Assert.That(calls, Has.Count.EqualTo(1));
        Assert.That(StoredRefreshTokenIs("refresh-new")(), Is.True);
    }

    [Test]
    public async Task Every_outcome_is_one_log_line_with_the_user_and_its_class_and_no_token()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)), userId: 1);
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)).WithRefreshToken("refresh-t"), userId: 2);
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)).WithRefreshToken("refresh-d"), userId: 3);
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-t", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.Transient, "HTTP 500", 500, "server_error"));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-d", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, "unauthorized_client"));

        foreach (var user in new long[] { 1, 2, 3 })
        {
            await context.Service.GetTokenAsync(user, CancellationToken.None);
        }

        var lines = context.Logger.Lines;
        Assert.That(lines, Has.Count.EqualTo(3), string.Join("\n", lines));
        Assert.That(lines[0], Does.StartWith("Information: Refresh for user 1: Refreshed"));
        Assert.That(lines[1], Does.StartWith("Warning: Refresh for user 2: Transient server_error, next try in 1 s"));
        Assert.That(lines[2], Does.StartWith("Warning: Refresh for user 3: GrantRejected unauthorized_client"));
        Assert.That(lines, Has.None.Contains("access-"));
        Assert.That(lines, Has.None.Contains("refresh-"));
    }

    [Test]
    public async Task The_stored_expiry_counts_from_before_the_request()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(3)));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                context.Clock.Advance(TimeSpan.FromSeconds(8));
                return Task.FromResult(RefreshTestContext.Response("access-2", "refresh-2"));
            });

        var lookup = await context.Service.GetTokenAsync(UserId, CancellationToken.None);

        Assert.That(lookup.Grant!.ExpiresAt, Is.EqualTo(RefreshTestContext.Start.AddHours(1)));
        Assert.That(lookup.Grant.UpdatedAt, Is.EqualTo(RefreshTestContext.Start.AddSeconds(8)));
    }

    [Test]
    public async Task A_forced_refresh_renews_a_token_with_plenty_of_time_left()
    {
        await Store(new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(50)));
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var lookup = await context.Refresher.RefreshAsync(UserId, force: true);

        Assert.That(lookup.RefreshOutcome, Is.EqualTo(RefreshOutcome.Refreshed));
        Assert.That(StoredRefreshTokenIs("refresh-2")(), Is.True);
    }

    private void FailEveryRefresh(AtlassianException failure) =>
        context.Atlassian.Setup(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                calls.Enqueue(context.Clock.GetUtcNow());
                return Task.FromException<AtlassianTokenResponse>(failure);
            });

    private Func<bool> StoredRefreshTokenIs(string refreshToken) => () =>
        context.Repository.Peek(UserId) is { } grant && context.Cipher.Decrypt(grant.EncryptedRefreshToken) == refreshToken;

    private async Task Store(GrantBuilder builder, long userId = UserId) =>
        await context.Repository.SaveAsync(userId, builder.Build(), CancellationToken.None);
}
