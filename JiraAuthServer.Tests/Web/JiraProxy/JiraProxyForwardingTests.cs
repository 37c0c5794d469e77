using System.Net;
using System.Net.Http.Headers;
using System.Text;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web.JiraProxy;

/// <summary>What the bot sends through <c>/jira/{id}/...</c> reaches Jira with the user's token and allowlisted headers only, and Jira's answer comes back as it is.</summary>
public sealed class JiraProxyForwardingTests : JiraProxyTestBase
{
    private static readonly string[] AllowedRequestHeaders =
        ["Host", "Authorization", "Content-Type", "Content-Length", "Accept", "Accept-Language", "X-Atlassian-Token", "If-Match"];

    [TestCase("GET", 200)]
    [TestCase("POST", 201)]
    [TestCase("PUT", 200)]
    [TestCase("PATCH", 200)]
    [TestCase("DELETE", 204)]
    public async Task Each_method_reaches_Jira_at_the_users_site_with_the_users_token_and_the_query_as_sent(string method, int expectedStatus)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Jira("rest/api/3/issue/PROJ-1?expand=names,renderedFields&fields=summary&fields=status"));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("""{"fields":{"summary":"Hello"}}""", Encoding.UTF8, "application/json");
        }

        var response = await Context.Bot.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(expectedStatus), await response.Content.ReadAsStringAsync());
        var received = Context.Atlassian.JiraRequests.Single();
        Assert.That(received.Method, Is.EqualTo(method));
        Assert.That(received.RawTarget, Is.EqualTo($"/ex/jira/{CloudId}/rest/api/3/issue/PROJ-1?expand=names,renderedFields&fields=summary&fields=status"));
        Assert.That(received.BearerToken, Is.EqualTo(UserAccessToken));
        if (request.Content is not null)
        {
            Assert.That(received.BodyBytes, Is.EqualTo(30));
            Assert.That(received.Headers["Content-Type"], Is.EqualTo("application/json; charset=utf-8"));
        }
    }

    [Test]
    public async Task Only_allowlisted_headers_reach_Jira_and_never_the_bots_key_or_cookies()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Jira("rest/api/3/issue/PROJ-1"))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.AcceptLanguage.ParseAdd("ru-RU");
        request.Headers.Add("X-Atlassian-Token", "no-check");
        request.Headers.IfMatch.ParseAdd("\"v3\"");
        request.Headers.Add("Cookie", "session=bot-session-cookie");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Bot-Secret", "do-not-forward");
        request.Headers.UserAgent.ParseAdd("bot/1.0");

        var response = await Context.Bot.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var headers = Context.Atlassian.JiraRequests.Single().Headers;
        Assert.That(headers.Keys, Is.SubsetOf(AllowedRequestHeaders).Using((IEqualityComparer<string>)StringComparer.OrdinalIgnoreCase));
        Assert.That(headers["Authorization"], Is.EqualTo($"Bearer {UserAccessToken}"));
        Assert.That(headers["Accept"], Is.EqualTo("application/json"));
        Assert.That(headers["Accept-Language"], Is.EqualTo("ru-RU"));
        Assert.That(headers["X-Atlassian-Token"], Is.EqualTo("no-check"));
        Assert.That(headers["If-Match"], Is.EqualTo("\"v3\""));
        Assert.That(string.Join('\n', headers.Values), Does.Not.Contain(AuthServerFactory.ApiKey).And.Not.Contain("bot-session-cookie"));
    }

    [Test]
    public async Task Jiras_status_body_and_allowlisted_headers_come_back_and_its_cookies_do_not()
    {
        var response = await Context.Bot.PostAsync(Jira("rest/api/3/issue"), new StringContent("""{"fields":{}}""", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await WebTestContext.JsonOf(response);
        Assert.That(body.Value<string>("path"), Is.EqualTo("rest/api/3/issue"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.Location, Is.EqualTo(new Uri("https://example.atlassian.net/rest/api/3/issue/10001")));
        Assert.That(response.Headers.GetValues("X-RateLimit-Remaining"), Is.EqualTo(new[] { "99" }));
        Assert.That(response.Headers.GetValues("X-RateLimit-NearLimit"), Is.EqualTo(new[] { "false" }));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That(response.Headers.Contains("X-AREQUESTID"), Is.False);
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task A_rate_limited_call_comes_back_as_429_with_Jiras_Retry_After_and_body()
    {
        Context.Atlassian.FailNextJiraRequests(FakeFailure.TooManyRequests("17"));

        var response = await Context.Bot.GetAsync(Jira("rest/api/3/search/jql?jql=project%3DPROJ"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(17)));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"code":429,"message":"Rate limit exceeded"}"""));
    }

    [Test]
    public async Task Jiras_errors_come_back_unchanged_even_without_a_body()
    {
        Context.Atlassian.FailNextJiraRequests(new FakeFailure(404, string.Empty, "text/plain"));
        Context.Atlassian.FailNextJiraRequests(FakeFailure.ServerError());

        var missing = await Context.Bot.GetAsync(Jira("rest/api/3/issue/NOPE-1"));
        var broken = await Context.Bot.GetAsync(Jira("rest/api/3/issue/NOPE-2"));

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await missing.Content.ReadAsStringAsync(), Is.Empty, "no error body of this server's own in place of Jira's");
        Assert.That(broken.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await broken.Content.ReadAsStringAsync(), Is.EqualTo(FakeFailure.ServerError().Body));
    }

    [Test]
    public async Task One_log_line_per_call_names_user_method_path_status_and_never_the_token_or_the_query()
    {
        using var log = new NLogCapture();

        var response = await Context.Bot.GetAsync(Jira("rest/api/3/search/jql?jql=assignee%3DSecretPerson&fields=summary"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        List<string> ProxyLines() => [.. log.Lines.Where(line => line.Contains("jira/", StringComparison.Ordinal))];
        Assert.That(await Eventually.TrueAsync(() => ProxyLines().Count > 0), Is.True, "the line is written once the answer is sent");
        var lines = ProxyLines();
        Assert.That(lines, Has.Count.EqualTo(1), "the request's one line");
        Assert.That(lines[0], Does.Match(@"GET jira/\{telegram_user_id\}/\{\*\*path\} user=42 from \S+ -> 200 jira rest/api/3/search/jql in \d+\.\d ms"));
        Assert.That(log.Text, Does.Not.Contain(UserAccessToken).And.Not.Contain("SecretPerson").And.Not.Contain("jql="));
    }

    [Test]
    public async Task Calls_are_counted_by_method_and_status_class()
    {
        Context.Atlassian.FailNextJiraRequests(FakeFailure.TooManyRequests());
        var before = await ScrapeAsync();

        await Context.Bot.GetAsync(Jira("rest/api/3/issue/PROJ-1"));
        await Context.Bot.DeleteAsync(Jira("rest/api/3/issue/PROJ-1"));

        // Counted once each answer has been sent, so a scrape right after may come a moment early.
        string after;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            after = await ScrapeAsync();
        }
        while (Count(after, "DELETE", "2xx") == Count(before, "DELETE", "2xx") && DateTime.UtcNow < deadline);

        Assert.That(Count(after, "GET", "4xx"), Is.EqualTo(Count(before, "GET", "4xx") + 1));
        Assert.That(Count(after, "DELETE", "2xx"), Is.EqualTo(Count(before, "DELETE", "2xx") + 1));
        Assert.That(after, Does.Contain("jira_auth_proxy_request_duration_seconds_count{method=\"GET\"}"));
    }

    private async Task<string> ScrapeAsync() => await (await Context.Bot.GetAsync(new Uri("/metrics", UriKind.Relative))).Content.ReadAsStringAsync();

    private static double Count(string scrape, string method, string statusClass)
    {
        var prefix = $"jira_auth_proxy_requests_total{{method=\"{method}\",status_class=\"{statusClass}\"}} ";
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
