using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web.JiraProxy;

/// <summary>
/// Atlassian revokes an access token within minutes of a refresh elsewhere, so Jira may answer 401 to a token that
/// has not expired: the server refreshes once, through the single flight, and sends a call that can be repeated again.
/// </summary>
public sealed class JiraProxyRefreshTests : JiraProxyTestBase
{
    [Test]
    public async Task A_401_to_a_valid_token_is_answered_by_one_refresh_and_the_call_sent_again_with_the_new_token()
    {
        Context.Atlassian.RevokeAccessToken(UserAccessToken);
        var body = """{"body":"a comment"}""";

        var response = await Context.Bot.PostAsync(Jira("rest/api/3/issue/X-1/comment?notify=false"), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var calls = Context.Atlassian.JiraRequests;
        Assert.That(calls, Has.Count.EqualTo(2));
        Assert.That(calls[0].BearerToken, Is.EqualTo(UserAccessToken));
        var renewed = Context.Atlassian.LastIssuedTokens!;
        Assert.That(renewed.GrantType, Is.EqualTo("refresh_token"));
        Assert.That(calls[1].BearerToken, Is.EqualTo(renewed.AccessToken));
        Assert.That(calls[1].RawTarget, Is.EqualTo(calls[0].RawTarget));
        Assert.That(calls.Select(call => call.BodySha256).Distinct().Single(), Is.EqualTo((await WebTestContext.JsonOf(response)).Value<string>("bodySha256")));
        Assert.That(calls.Select(call => call.BodyBytes), Is.All.EqualTo(Encoding.UTF8.GetByteCount(body)));
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Many_calls_refused_at_once_cause_exactly_one_refresh()
    {
        Context.Atlassian.RevokeAccessToken(UserAccessToken);

        // Held back so that all of them are refused with the old token before any refresh lands.
        Context.Atlassian.ApiResponseDelay = TimeSpan.FromMilliseconds(300);
        var responses = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => Context.Bot.GetAsync(Jira($"rest/api/3/issue/X-{i}"))));

        Assert.That(responses.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(1));
        var renewed = Context.Atlassian.LastIssuedTokens!.AccessToken;
        var calls = Context.Atlassian.JiraRequests;
        Assert.That(calls.Count(call => call.BearerToken == UserAccessToken), Is.EqualTo(12));
        Assert.That(calls.Count(call => call.BearerToken == renewed), Is.EqualTo(12));
    }

    [Test]
    public async Task A_large_body_is_streamed_and_not_sent_again_the_401_goes_to_the_bot_and_the_next_call_has_a_fresh_token()
    {
        Context.Atlassian.RevokeAccessToken(UserAccessToken);
        var upload = new ByteArrayContent(new byte[100 * 1024]);
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, Jira("rest/api/3/issue/X-1/attachments")) { Content = upload };
        request.Headers.Add("X-Atlassian-Token", "no-check");

        var refused = await Context.Bot.SendAsync(request);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(JObject.Parse(await refused.Content.ReadAsStringAsync()).Value<int>("code"), Is.EqualTo(401), "Jira's own 401 body");
        Assert.That(Context.Atlassian.JiraRequests, Has.Count.EqualTo(1));

        Assert.That(await Support.Eventually.TrueAsync(() => Context.Atlassian.RefreshCount == 1), Is.True, "the refresh runs for the next call");
        var next = await Context.Bot.GetAsync(Jira("rest/api/3/issue/X-1"));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.Atlassian.JiraRequests[^1].BearerToken, Is.EqualTo(Context.Atlassian.LastIssuedTokens!.AccessToken));
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_401_that_stays_after_the_refresh_goes_to_the_bot_as_Jira_sent_it()
    {
        Context.Atlassian.RevokeAccessToken(UserAccessToken);
        Context.Atlassian.FailNextJiraRequests(new Fakes.FakeFailure(401, """{"code":401,"message":"Unauthorized; scope does not match"}"""), count: 5);

        var response = await Context.Bot.GetAsync(Jira("rest/api/3/issue/X-1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("scope does not match"));
        Assert.That(Context.Atlassian.JiraRequests, Has.Count.EqualTo(2), "sent again once, not more");
        Assert.That(Context.Atlassian.RefreshCount, Is.EqualTo(1));
    }
}
