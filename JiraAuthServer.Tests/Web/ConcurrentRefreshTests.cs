using System.Net;

namespace JiraAuthServer.Tests.Web;

/// <summary>Single flight over real HTTP: many requests for one user inside the margin, one refresh at Atlassian.</summary>
public sealed class ConcurrentRefreshTests : WebTestBase
{
    private const long UserId = 5150;

    [Test]
    public async Task Fifty_token_and_fifty_status_requests_at_once_cause_one_refresh_and_get_the_same_new_token()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await Context.AuthorizeAsync(UserId);
        var authorized = Context.Atlassian.LastIssuedTokens!;
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromHours(1);

        // Atlassian answers slowly, so every request arrives while the one refresh is still out.
        Context.Atlassian.TokenResponseDelay = TimeSpan.FromMilliseconds(500);
        var tokens = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative))));
        var statuses = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative))));
        var tokenAnswers = await Task.WhenAll(tokens);
        var statusAnswers = await Task.WhenAll(statuses);

        var refreshed = Context.Atlassian.LastIssuedTokens!;
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(1));
        Assert.That(Context.Atlassian.RefreshReuseCount, Is.Zero);
        Assert.That(Context.RefreshTokensSent(), Is.EqualTo(new[] { authorized.RefreshToken }));
        Assert.That(tokenAnswers.Select(answer => answer.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var handedOut = await Task.WhenAll(tokenAnswers.Select(async answer => (await WebTestContext.JsonOf(answer)).Value<string>("access_token")));
        Assert.That(handedOut, Has.Length.EqualTo(50).And.All.EqualTo(refreshed.AccessToken));
        var statusBodies = await Task.WhenAll(statusAnswers.Select(WebTestContext.JsonOf));
        Assert.That(statusBodies.Select(body => body.Value<bool>("authenticated")), Is.All.True);
        Assert.That(statusBodies.Select(body => body.Value<string>("expires_at")).Distinct().Count(), Is.EqualTo(1), "all saw the refreshed grant");

        var stored = Context.StoredRecord(UserId)!;
        Assert.That(WebTestContext.Decrypt(stored, "access_token"), Is.EqualTo(refreshed.AccessToken));
        Assert.That(WebTestContext.Decrypt(stored, "refresh_token"), Is.EqualTo(refreshed.RefreshToken));
    }
}
