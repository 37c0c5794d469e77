using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>How <see cref="GrantRefresher"/> uses the cross-process refresh lock.</summary>
public sealed class GrantRefreshLockTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task A_waiter_that_gets_the_lock_after_another_process_refreshed_serves_the_fresh_token_without_calling_Atlassian()
    {
        var refreshLock = new RecordingRefreshLock();
        using var context = new RefreshTestContext(refreshLock);
        await context.Repository.SaveAsync(RefreshTestContext.UserId, new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)).Build(), None);
        var fresh = new GrantBuilder().WithAccessToken("access-from-the-other-process").ExpiringAt(RefreshTestContext.Start.AddHours(1)).Build();
        refreshLock.WhileWaiting = () => context.Repository.SaveAsync(RefreshTestContext.UserId, fresh, None);

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(lookup.AccessToken, Is.EqualTo("access-from-the-other-process"));
        context.Atlassian.VerifyNoOtherCalls();
        Assert.That(refreshLock.Events, Is.EqualTo(new[] { "acquire 42", "release 42" }));
    }

    [Test]
    public async Task The_lock_is_held_across_the_call_to_Atlassian_and_the_save_and_released_after()
    {
        var refreshLock = new RecordingRefreshLock();
        using var context = new RefreshTestContext(refreshLock);
        await context.Repository.SaveAsync(RefreshTestContext.UserId, new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)).Build(), None);
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .Callback(() => refreshLock.Events.Add("atlassian"))
            .ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, None);

        Assert.That(lookup.AccessToken, Is.EqualTo("access-2"));
        Assert.That(refreshLock.Events, Is.EqualTo(new[] { "acquire 42", "atlassian", "release 42" }));
        Assert.That(context.Repository.Saves, Is.EqualTo(2), "the seed and the refreshed grant");
    }

    [Test]
    public async Task The_lock_is_released_when_Atlassian_rejects_the_grant()
    {
        var refreshLock = new RecordingRefreshLock();
        using var context = new RefreshTestContext(refreshLock);
        await context.Repository.SaveAsync(RefreshTestContext.UserId, new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)).Build(), None);
        context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AtlassianException(AtlassianFailureKind.GrantRejected, "dead", 403, "invalid_grant"));

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.ReauthorizationRequired));
        Assert.That(refreshLock.Events, Is.EqualTo(new[] { "acquire 42", "release 42" }));
    }

    [Test]
    public async Task A_lock_that_cannot_be_taken_answers_store_unavailable_and_calls_nobody()
    {
        var refreshLock = new RecordingRefreshLock { Failure = new TokenStoreException("database down") };
        using var context = new RefreshTestContext(refreshLock);
        await context.Repository.SaveAsync(RefreshTestContext.UserId, new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(1)).Build(), None);

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.StoreUnavailable));
        context.Atlassian.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_token_outside_the_margin_is_served_without_taking_the_lock()
    {
        var refreshLock = new RecordingRefreshLock();
        using var context = new RefreshTestContext(refreshLock);
        await context.Repository.SaveAsync(RefreshTestContext.UserId, new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddMinutes(30)).Build(), None);

        var lookup = await context.Service.GetTokenAsync(RefreshTestContext.UserId, None);

        Assert.That(lookup.AccessToken, Is.EqualTo("access-1"));
        Assert.That(refreshLock.Events, Is.Empty);
    }

    private sealed class RecordingRefreshLock : IGrantRefreshLock
    {
        public List<string> Events { get; } = [];

        public Func<Task>? WhileWaiting { get; set; }

        public Exception? Failure { get; init; }

        public async Task<IAsyncDisposable> AcquireAsync(long telegramUserId, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            if (WhileWaiting is not null)
            {
                await WhileWaiting();
            }

            Events.Add($"acquire {telegramUserId}");
            return new Release(() => Events.Add($"release {telegramUserId}"));
        }

        private sealed class Release(Action release) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                release();
                return ValueTask.CompletedTask;
            }
        }
    }
}
