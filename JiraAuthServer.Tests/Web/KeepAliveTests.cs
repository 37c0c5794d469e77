using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The server's own keep-alive loop against the fake Atlassian, whose grants die after 90 days without a refresh:
/// a user who never asks for a token for 100 days is still connected.
/// </summary>
public sealed class KeepAliveTests : WebTestBase
{
    private static readonly TimeSpan Step = TimeSpan.FromHours(6);
    private FakeTimeProvider clock = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return WebTestContext.StartAsync(clock: clock);
    }

    [Test]
    public async Task A_user_quiet_for_100_days_is_kept_connected_and_a_dead_grant_is_not_tried_again()
    {
        await Context.AuthorizeAsync(1);
        var quiet = Context.Atlassian.LastIssuedTokens!;
        await Context.AuthorizeAsync(2);
        var revokedAtAtlassian = Context.Atlassian.LastIssuedTokens!;
        Context.Atlassian.Revoke(revokedAtAtlassian.AccessToken);
        var start = clock.GetUtcNow();

        for (var refreshes = 1; refreshes <= 3; refreshes++)
        {
            var count = refreshes;
            Assert.That(await clock.AdvanceUntilAsync(() => QuietUserRefreshes() == count, Step, TimeSpan.FromDays(35)), Is.True, $"keep-alive refresh {count}");
        }

        var refreshedAt = Context.Atlassian.IssuedTokens.Where(tokens => tokens.FamilyId == quiet.FamilyId && tokens.GrantType == "refresh_token").Select(tokens => tokens.IssuedAt - start).ToList();
        Assert.That(refreshedAt[0], Is.InRange(TimeSpan.FromDays(30), TimeSpan.FromDays(31)), "about KEEPALIVE_AFTER after the authorization");
        Assert.That(refreshedAt[1] - refreshedAt[0], Is.InRange(TimeSpan.FromDays(30), TimeSpan.FromDays(31)));
        Assert.That(refreshedAt[2] - refreshedAt[1], Is.InRange(TimeSpan.FromDays(30), TimeSpan.FromDays(31)));

        clock.Advance(start + TimeSpan.FromDays(100) - clock.GetUtcNow());
        var token = await Context.Bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative));

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Atlassian's 90-day inactivity expiry did not hit");
        Assert.That(Context.Atlassian.FamilyOf(quiet.AccessToken)!.IsRevoked, Is.False);
        Assert.That(Context.Atlassian.RefreshReuseCount, Is.Zero);
        Assert.That(Context.RefreshTokensSent().Count(sent => Context.Atlassian.FamilyOf(sent)?.Id == revokedAtAtlassian.FamilyId), Is.EqualTo(1), "tried once, marked, then left alone");
        Assert.That(Context.StoredRecord(2)!.Value<string>("reauthorization_required_at"), Is.Not.Null);
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri("/auth/status/2", UriKind.Relative)));
        Assert.That(status.Value<bool>("reauthorization_required"), Is.True);
    }

    private int QuietUserRefreshes()
    {
        var family = Context.Atlassian.Families.Single(family => family.Id == Context.Atlassian.IssuedTokens[0].FamilyId);
        return family.RefreshCount;
    }
}
