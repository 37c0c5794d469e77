using System.Net;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// A graceful stop (SIGTERM, a deploy) while Atlassian is answering a refresh: Atlassian has rotated the refresh token
/// by then, so the store must not be closed before the answer is in it.
/// </summary>
public sealed class GracefulStopTests : WebTestBase
{
    private const long UserId = 515;
    private FakeTimeProvider clock = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return WebTestContext.StartAsync(clock: clock);
    }

    [Test]
    public async Task A_refresh_in_flight_when_the_server_stops_is_stored_before_the_store_closes()
    {
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var authorized = Context.Atlassian.LastIssuedTokens!;
        clock.Advance(TimeSpan.FromMinutes(57));
        Context.Atlassian.TokenResponseDelay = TimeSpan.FromSeconds(1);

        _ = Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(await Eventually.TrueAsync(() => Context.RefreshTokensSent().Count == 1), Is.True, "the refresh reached Atlassian");
        await Context.Factory.DisposeAsync();

        var family = Context.Atlassian.FamilyOf(authorized.AccessToken)!;
        Assert.That(family.CurrentRefreshToken, Is.Not.EqualTo(authorized.RefreshToken), "Atlassian rotated");
        Assert.That(WebTestContext.Decrypt(Context.StoredRecord(UserId)!, "refresh_token"), Is.EqualTo(family.CurrentRefreshToken), "what the next start sends is the live token");
    }
}
