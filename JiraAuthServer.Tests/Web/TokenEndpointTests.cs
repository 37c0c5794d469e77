using System.Net;
using System.Text.RegularExpressions;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

public sealed partial class TokenEndpointTests : WebTestBase
{
    private const long UserId = 4242;

    [Test]
    public async Task The_whole_flow_start_callback_status_token_revoke()
    {
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var status = await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative));
        var statusBody = await WebTestContext.JsonOf(status);
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(statusBody.Properties().Select(p => p.Name), Is.EquivalentTo(new[] { "authenticated", "expires_at", "scope", "reauthorization_due_at" }));
        Assert.That(statusBody.Value<bool>("authenticated"), Is.True);
        Assert.That(statusBody.Value<string>("scope"), Does.Contain("offline_access"));
        Assert.That(IsoWithOffset().IsMatch(statusBody.Value<string>("expires_at")!), Is.True, statusBody.ToString());

        var token = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        var tokenBody = await WebTestContext.JsonOf(token);
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(tokenBody.Value<string>("access_token"), Is.EqualTo(Context.Atlassian.LastIssuedTokens!.AccessToken));
        Assert.That(tokenBody.Value<string>("jira_account_id"), Is.EqualTo(FakeJiraUser.Default.AccountId));
        Assert.That(tokenBody.Value<string>("jira_email"), Is.EqualTo(FakeJiraUser.Default.EmailAddress));
        Assert.That(tokenBody.Value<string>("jira_cloud_id"), Is.EqualTo(FakeAtlassianSite.DefaultCloudId));
        Assert.That(tokenBody.Value<string>("jira_site_url"), Is.EqualTo("https://example.atlassian.net"));
        Assert.That(tokenBody.Value<string>("jira_site_name"), Is.EqualTo("example"));
        Assert.That(IsoWithOffset().IsMatch(tokenBody.Value<string>("expires_at")!), Is.True);

        var revoke = await Context.Bot.DeleteAsync(new Uri($"/auth/revoke/{UserId}", UriKind.Relative));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await WebTestContext.JsonOf(revoke)).Value<string>("message"), Is.EqualTo("Authentication revoked successfully"));

        var after = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));
        Assert.That(after.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""{"authenticated":false,"message":"User not authenticated"}"""));
        var gone = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await WebTestContext.JsonOf(gone)).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""{"error":"User not authenticated"}"""));
        var again = await Context.Bot.GetAsync(new Uri($"/auth/revoke/{UserId}", UriKind.Relative));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await WebTestContext.JsonOf(again)).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""{"message":"User not authenticated"}"""));
    }

    [TestCase("/auth/token/4242", "GET")]
    [TestCase("/auth/revoke/4242", "GET")]
    [TestCase("/auth/revoke/4242", "DELETE")]
    [TestCase("/metrics", "GET")]
    public async Task Locked_endpoints_answer_401_without_the_key_and_change_nothing(string path, string method)
    {
        await Context.AuthorizeAsync(UserId);

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer not-the-key");
        var response = await Context.Browser.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await WebTestContext.JsonOf(response)).Value<string>("error"), Is.EqualTo("Unauthorized"));
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));
        Assert.That(status.Value<bool>("authenticated"), Is.True);
    }

    [TestCase("/auth/status/")]
    [TestCase("/auth/token/")]
    [TestCase("/auth/revoke/")]
    public async Task Malformed_ids_are_400_on_every_endpoint(string prefix)
    {
        foreach (var id in new[] { "abc", "0", "-1", "1.0", "99999999999999999999", "%20", "12a" })
        {
            var response = await Context.Bot.GetAsync(new Uri(prefix + id, UriKind.Relative));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), prefix + id);
            Assert.That((await WebTestContext.JsonOf(response)).Value<string>("error"), Does.Contain("telegram_user_id"));
        }
    }

    [Test]
    public async Task An_unknown_user_is_not_authenticated()
    {
        var status = await Context.Browser.GetAsync(new Uri("/auth/status/99", UriKind.Relative));
        var token = await Context.Bot.GetAsync(new Uri("/auth/token/99", UriKind.Relative));

        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await WebTestContext.JsonOf(status)).Value<string>("message"), Is.EqualTo("User not authenticated"));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_dead_grant_answers_401_with_reauthorization_required_and_a_new_authorization_replaces_it()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(1);
        await Context.AuthorizeAsync(UserId);
        Context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());

        var token = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        var status = await WebTestContext.JsonOf(await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative)));

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await WebTestContext.JsonOf(token)).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""{"error":"Token expired","reauthorization_required":true}"""));
        Assert.That(status.Value<bool>("authenticated"), Is.False);
        Assert.That(status.Value<string>("message"), Does.Contain("authorize again"));

        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromHours(1);
        await Context.AuthorizeAsync(UserId);
        var renewed = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(renewed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_token_inside_the_margin_is_refreshed_before_it_is_handed_out()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await Context.AuthorizeAsync(UserId);
        var first = Context.Atlassian.LastIssuedTokens!;
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromHours(1);

        var token = await WebTestContext.JsonOf(await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative)));

        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(1));
        Assert.That(token.Value<string>("access_token"), Is.Not.EqualTo(first.AccessToken));
        Assert.That(token.Value<string>("access_token"), Is.EqualTo(Context.Atlassian.LastIssuedTokens!.AccessToken));
    }

    [Test]
    public async Task An_expired_token_with_Atlassian_down_answers_503_with_retry_after()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var timed = await WebTestContext.StartAsync(clock: clock);
        await timed.AuthorizeAsync(UserId);
        clock.Advance(TimeSpan.FromHours(2));
        timed.Atlassian.FailNextTokenRequests(FakeFailure.TooManyRequests("7"));

        var token = await timed.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(token.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That((await WebTestContext.JsonOf(token)).Value<string>("error"), Is.EqualTo("Jira is temporarily unreachable"));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")]
    private static partial Regex IsoWithOffset();
}
