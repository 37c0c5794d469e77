using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Support;
using Moq;

namespace JiraAuthServer.Tests.Core;

/// <summary>Jira refused a token that has not expired: refreshed once, however many calls report the same token.</summary>
public sealed class RejectedTokenRefreshTests : RefreshTestFixture
{
    [Test]
    public async Task A_rejected_token_with_an_hour_left_is_refreshed()
    {
        var rejected = await StoreAsync();
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        var lookup = await Context.Service.RefreshRejectedAsync(RefreshTestContext.UserId, rejected, CancellationToken.None);

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(lookup.AccessToken, Is.EqualTo("access-2"));
    }

    [Test]
    public async Task A_second_report_of_the_same_token_after_the_refresh_gets_the_new_token_without_another_refresh()
    {
        var rejected = await StoreAsync();
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).ReturnsAsync(RefreshTestContext.Response("access-2", "refresh-2"));

        await Context.Service.RefreshRejectedAsync(RefreshTestContext.UserId, rejected, CancellationToken.None);
        var late = await Context.Service.RefreshRejectedAsync(RefreshTestContext.UserId, rejected, CancellationToken.None);

        Assert.That(late.AccessToken, Is.EqualTo("access-2"));
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task Concurrent_reports_of_one_token_share_one_refresh()
    {
        var rejected = await StoreAsync();
        var answer = new TaskCompletionSource<JiraAuthServer.Core.Atlassian.AtlassianTokenResponse>();
        Context.Atlassian.Setup(a => a.RefreshAsync("refresh-1", It.IsAny<CancellationToken>())).Returns(answer.Task);

        var reports = Enumerable.Range(0, 20).Select(_ => Context.Service.RefreshRejectedAsync(RefreshTestContext.UserId, rejected, CancellationToken.None)).ToList();
        answer.SetResult(RefreshTestContext.Response("access-2", "refresh-2"));
        var lookups = await Task.WhenAll(reports);

        Assert.That(lookups.Select(lookup => lookup.AccessToken), Is.All.EqualTo("access-2"));
        Context.Atlassian.Verify(a => a.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    private async Task<StoredGrant> StoreAsync()
    {
        await Context.Repository.SaveAsync(RefreshTestContext.UserId, new GrantBuilder().ExpiringAt(RefreshTestContext.Start.AddHours(1)).Build(), CancellationToken.None);
        return (await Context.Repository.GetAsync(RefreshTestContext.UserId, CancellationToken.None))!;
    }
}
