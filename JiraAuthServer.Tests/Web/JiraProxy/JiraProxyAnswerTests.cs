using System.Net;
using JiraAuthServer.Tests.Fakes;

namespace JiraAuthServer.Tests.Web.JiraProxy;

/// <summary>The answers of the server's own: the same bodies as <c>/auth/token</c>, and Jira out of reach.</summary>
public sealed class JiraProxyAnswerTests : JiraProxyTestBase
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["JIRA_PROXY_TIMEOUT"] = "1s" };

    [Test]
    public async Task The_OpenAPI_document_lists_the_endpoint_with_its_answers_and_the_Bearer_scheme()
    {
        var document = Newtonsoft.Json.Linq.JObject.Parse(await Context.Browser.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)));

        var path = document.SelectToken("paths['/jira/{telegram_user_id}/{path}']");
        Assert.That(path, Is.Not.Null);
        foreach (var method in new[] { "get", "post", "put", "patch", "delete" })
        {
            Assert.That(path![method]?["security"], Is.Not.Null, method);
            Assert.That(((Newtonsoft.Json.Linq.JObject)path[method]!["responses"]!).Properties().Select(p => p.Name), Is.SupersetOf(new[] { "200", "400", "401", "404", "429", "502", "503", "504" }), method);
        }

        Assert.That(path!["get"]!["responses"]!["504"]!.SelectToken("content['application/json'].schema.$ref")?.ToString(), Does.EndWith("ErrorResponse"));
        Assert.That(path["get"]!["responses"]!["200"]!["description"]!.ToString(), Does.Contain("Jira's answer"));
        Assert.That(document.SelectToken("paths['/jira/{rest}']"), Is.Null, "the catch-all for resolved paths is not an operation");
    }

    [Test]
    public async Task Without_the_key_or_with_a_wrong_one_the_answer_is_401_and_nothing_is_sent()
    {
        var none = await Context.Browser.GetAsync(Jira("rest/api/3/myself"));
        using var wrong = TestRequest.Create($"/jira/{UserId}/rest/api/3/issue/X-1", authorization: TestRequest.Bearer("wrong-key"));
        var wrongKey = await Context.Browser.SendAsync(wrong);

        foreach (var response in new[] { none, wrongKey })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"Unauthorized"}"""));
        }

        Assert.That(Context.Atlassian.JiraRequests, Is.Empty);
    }

    [Test]
    public async Task An_unknown_user_gets_404_as_from_auth_token()
    {
        var response = await Context.Bot.GetAsync(Jira("rest/api/3/myself", userId: 777));
        var token = await Context.Bot.GetAsync(new Uri("/auth/token/777", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(await token.Content.ReadAsStringAsync()));
        Assert.That(Context.Atlassian.JiraRequests, Is.Empty);
    }

    [Test]
    public async Task A_grant_Atlassian_killed_gets_401_reauthorization_required_and_later_calls_are_not_sent()
    {
        // The user removed the app at Atlassian: Jira refuses the token, and the refresh that follows is refused too.
        Context.Atlassian.Revoke(UserAccessToken);

        var first = await Context.Bot.GetAsync(Jira("rest/api/3/issue/X-1"));
        var second = await Context.Bot.GetAsync(Jira("rest/api/3/issue/X-2"));
        var token = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await first.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"Token expired","reauthorization_required":true}"""));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await token.Content.ReadAsStringAsync()));
        Assert.That(Context.Atlassian.JiraRequests, Has.Count.EqualTo(1), "once the grant is known dead, nothing goes to Jira");
    }

    [Test]
    public async Task A_Jira_slower_than_the_timeout_gets_504_with_a_clear_message()
    {
        Context.Atlassian.ApiResponseDelay = TimeSpan.FromSeconds(5);

        var response = await Context.Bot.GetAsync(Jira("rest/api/3/issue/X-1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"Jira did not answer within JIRA_PROXY_TIMEOUT"}"""));
    }

    [Test]
    public async Task A_Jira_that_cannot_be_reached_gets_502_with_a_clear_message()
    {
        await Context.Atlassian.DisposeAsync();

        var response = await Context.Bot.GetAsync(Jira("rest/api/3/issue/X-1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"Jira could not be reached (connection failed or closed)"}"""));
    }
}
