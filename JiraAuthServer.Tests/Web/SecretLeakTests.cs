using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The whole flow, failures included, with everything the real <c>nlog.config</c> would print at its most verbose
/// level kept in memory: no client secret, API key, encryption key, access or refresh token, authorization code,
/// pending state or tried key may appear in it, nor in any error page or the OpenAPI document. Run with each
/// <c>LOG_FORMAT</c>: the JSON lines also carry each event's properties.
/// </summary>
[TestFixture("text")]
[TestFixture("json")]
public sealed class SecretLeakTests(string logFormat) : WebTestBase
{
    private const string TriedKey = "tried-wrong-key-Qm7vX2";
    private readonly List<string> states = [];
    private readonly List<string> codes = [];
    private readonly List<(string What, string Body)> errorBodies = [];
    private NLogCapture log = null!;

    [SetUp]
    public void StartCapture() => log = new NLogCapture();

    protected override Task<WebTestContext> StartContextAsync() => WebTestContext.StartAsync(new Dictionary<string, string?> { ["LOG_FORMAT"] = logFormat });

    [TearDown]
    public void StopCapture() => log.Dispose();

    [Test]
    public async Task No_secret_appears_in_any_log_line_error_page_or_the_OpenAPI_document()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await GetAsync(Context.Browser, "/health");

        // Start, callback, status, token with a refresh, revoke.
        Assert.That((await AuthorizeAsync(1)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await GetAsync(Context.Browser, "/auth/status/1");
        await GetAsync(Context.Bot, "/auth/status/1");
        Assert.That((await GetAsync(Context.Bot, "/auth/token/1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Context.Atlassian.RefreshCount, Is.GreaterThanOrEqualTo(1), "tokens inside the margin were refreshed");

        // Refresh failures of every class: transient, client rejected, and a dead grant.
        await AuthorizeAsync(2);
        Context.Atlassian.FailNextTokenRequests(FakeFailure.TooManyRequests("7"));
        await GetAsync(Context.Bot, "/auth/token/2");
        await AuthorizeAsync(3);
        Context.Atlassian.FailNextTokenRequests(FakeFailure.AccessDenied());
        await GetAsync(Context.Bot, "/auth/token/3");
        await AuthorizeAsync(4);
        Context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());
        Assert.That((await GetAsync(Context.Bot, "/auth/token/4")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "dead grant");
        await GetAsync(Context.Browser, "/auth/status/4");

        // Callback failures: declined, Atlassian down, code refused, no Jira site, replay, forged state.
        Context.Atlassian.ConsentMode = FakeConsentMode.AutoDecline;
        await AuthorizeAsync(5);
        Context.Atlassian.ConsentMode = FakeConsentMode.AutoApprove;
        Context.Atlassian.FailNextTokenRequests(FakeFailure.ServerError());
        await AuthorizeAsync(6);
        Context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());
        await AuthorizeAsync(7);
        Context.Atlassian.Sites = [new FakeAtlassianSite("conf-1", "https://wiki.atlassian.net", "wiki", ["read:confluence-content.all"])];
        await AuthorizeAsync(8);
        Context.Atlassian.Sites = [FakeAtlassianSite.Default];
        var replayed = await AuthorizeAsync(9);
        await GetAsync(Context.Browser, replayed.RequestMessage!.RequestUri!.PathAndQuery);
        var stranger = Context.Atlassian.IssueCode();
        codes.Add(stranger);
        await GetAsync(Context.Browser, $"/auth/callback?code={stranger}&state=telegram_user_1");

        // Wrong keys up to the lockout, malformed ids, revoke.
        using (var guesser = Context.Factory.CreateBrowserClient())
        {
            guesser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TriedKey);
            guesser.DefaultRequestHeaders.Add(PeerAddressStartupFilter.Header, "203.0.113.99");
            for (var attempt = 0; attempt < 11; attempt++)
            {
                await GetAsync(guesser, "/auth/token/1");
            }
        }

        await GetAsync(Context.Bot, "/auth/token/abc");
        await GetAsync(Context.Bot, "/auth/start?telegram_user_id=-1");
        Assert.That((await SendAsync(Context.Bot, HttpMethod.Delete, "/auth/revoke/1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await SendAsync(Context.Bot, HttpMethod.Delete, "/auth/revoke/1");
        await GetAsync(Context.Bot, "/metrics");
        var openApi = await (await GetAsync(Context.Browser, "/swagger/v1/swagger.json")).Content.ReadAsStringAsync();
        var swaggerUi = await (await GetAsync(Context.Browser, "/swagger/index.html")).Content.ReadAsStringAsync();

        var secrets = Secrets();
        var text = log.Text;
        var consoleLines = log.ConsoleLines;
        Assert.That(consoleLines, Has.Count.GreaterThan(50));
        Assert.That(
            consoleLines.Count(line => line.StartsWith('{') && Newtonsoft.Json.Linq.JObject.Parse(line).ContainsKey("message")),
            Is.EqualTo(logFormat == "json" ? consoleLines.Count : 0),
            "every console line is a JSON object in JSON mode, none in text mode");
        Assert.That(text, Does.Contain("GET health -> 200"), "debug lines are captured too");
        Assert.That(text, Does.Contain("Refresh for user 3: Rejected"), "the flow's failures were logged");
        Assert.That(secrets, Has.Count.GreaterThan(30));
        Assert.Multiple(() =>
        {
            foreach (var (what, secret) in secrets)
            {
                Assert.That(text, Does.Not.Contain(secret), $"{what} in the log");
                Assert.That(openApi + swaggerUi, Does.Not.Contain(secret), $"{what} in the OpenAPI document");
                foreach (var (request, body) in errorBodies)
                {
                    Assert.That(body, Does.Not.Contain(secret), $"{what} in the error answer to {request}");
                }
            }
        });
        Assert.That(errorBodies, Has.Count.GreaterThan(20));
    }

    private List<(string What, string Value)> Secrets()
    {
        var secrets = new List<(string, string)>
        {
            ("client secret", Context.Atlassian.ClientSecret),
            ("API key", AuthServerFactory.ApiKey),
            ("encryption key", AuthServerFactory.EncryptionKey),
            ("tried key", TriedKey),
        };
        foreach (var issued in Context.Atlassian.IssuedTokens)
        {
            secrets.Add(("access token", issued.AccessToken));
            secrets.Add(("refresh token", issued.RefreshToken!));
        }

        foreach (var request in Context.Atlassian.TokenRequests)
        {
            foreach (var field in new[] { "code", "refresh_token", "client_secret" })
            {
                if (request.Fields.TryGetValue(field, out var value))
                {
                    secrets.Add((field, value));
                }
            }
        }

        secrets.AddRange(codes.Select(code => ("authorization code", code)));
        secrets.AddRange(states.Select(state => ("state", state)));
        return secrets.Distinct().ToList();
    }

    private async Task<HttpResponseMessage> AuthorizeAsync(long user)
    {
        var start = await Context.StartAuthorizationAsync(user);
        states.Add(start.Value<string>("state")!);
        var callback = await WebTestContext.ConsentAsync(start.Value<string>("auth_url")!);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query);
        if (query.TryGetValue("code", out var code))
        {
            codes.Add(code.ToString());
        }

        return await GetAsync(Context.Browser, callback.PathAndQuery);
    }

    private Task<HttpResponseMessage> GetAsync(HttpClient client, string url) => SendAsync(client, HttpMethod.Get, url);

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400 || url.StartsWith("/auth/callback", StringComparison.Ordinal))
        {
            errorBodies.Add(($"{method} {url.Split('?')[0]} ({(int)response.StatusCode})", body));
        }

        return response;
    }
}
