using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The whole flow, failures included, with everything the real <c>nlog.config</c> would print at its most verbose
/// level kept in memory: no client secret, API key, encryption key, access or refresh token, authorization code,
/// pending state or tried key may appear in it, nor in any error page or the OpenAPI document.
/// </summary>
public sealed class SecretLeakTests
{
    private const string TriedKey = "tried-wrong-key-Qm7vX2";
    private readonly List<string> states = [];
    private readonly List<string> codes = [];
    private readonly List<(string What, string Body)> errorBodies = [];
    private WebTestContext context = null!;
    private NLogCapture log = null!;

    [SetUp]
    public async Task SetUp()
    {
        context = await WebTestContext.StartAsync();
        log = new NLogCapture();
    }

    [TearDown]
    public async Task TearDown()
    {
        log.Dispose();
        await context.DisposeAsync();
    }

    [Test]
    public async Task No_secret_appears_in_any_log_line_error_page_or_the_OpenAPI_document()
    {
        context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(2);
        await GetAsync(context.Browser, "/health");

        // Start, callback, status, token with a refresh, revoke.
        Assert.That((await AuthorizeAsync(1)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await GetAsync(context.Browser, "/auth/status/1");
        await GetAsync(context.Bot, "/auth/status/1");
        Assert.That((await GetAsync(context.Bot, "/auth/token/1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(context.Atlassian.RefreshCount, Is.GreaterThanOrEqualTo(1), "tokens inside the margin were refreshed");

        // Refresh failures of every class: transient, client rejected, and a dead grant.
        await AuthorizeAsync(2);
        context.Atlassian.FailNextTokenRequests(FakeFailure.TooManyRequests("7"));
        await GetAsync(context.Bot, "/auth/token/2");
        await AuthorizeAsync(3);
        context.Atlassian.FailNextTokenRequests(FakeFailure.AccessDenied());
        await GetAsync(context.Bot, "/auth/token/3");
        await AuthorizeAsync(4);
        context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());
        Assert.That((await GetAsync(context.Bot, "/auth/token/4")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "dead grant");
        await GetAsync(context.Browser, "/auth/status/4");

        // Callback failures: declined, Atlassian down, code refused, no Jira site, replay, forged state.
        context.Atlassian.ConsentMode = FakeConsentMode.AutoDecline;
        await AuthorizeAsync(5);
        context.Atlassian.ConsentMode = FakeConsentMode.AutoApprove;
        context.Atlassian.FailNextTokenRequests(FakeFailure.ServerError());
        await AuthorizeAsync(6);
        context.Atlassian.FailNextTokenRequests(FakeFailure.InvalidGrant());
        await AuthorizeAsync(7);
        context.Atlassian.Sites = [new FakeAtlassianSite("conf-1", "https://wiki.atlassian.net", "wiki", ["read:confluence-content.all"])];
        await AuthorizeAsync(8);
        context.Atlassian.Sites = [FakeAtlassianSite.Default];
        var replayed = await AuthorizeAsync(9);
        await GetAsync(context.Browser, replayed.RequestMessage!.RequestUri!.PathAndQuery);
        var stranger = context.Atlassian.IssueCode();
        codes.Add(stranger);
        await GetAsync(context.Browser, $"/auth/callback?code={stranger}&state=telegram_user_1");

        // Wrong keys up to the lockout, malformed ids, revoke.
        using (var guesser = context.Factory.CreateBrowserClient())
        {
            guesser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TriedKey);
            guesser.DefaultRequestHeaders.Add(PeerAddressStartupFilter.Header, "203.0.113.99");
            for (var attempt = 0; attempt < 11; attempt++)
            {
                await GetAsync(guesser, "/auth/token/1");
            }
        }

        await GetAsync(context.Bot, "/auth/token/abc");
        await GetAsync(context.Bot, "/auth/start?telegram_user_id=-1");
        Assert.That((await SendAsync(context.Bot, HttpMethod.Delete, "/auth/revoke/1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await SendAsync(context.Bot, HttpMethod.Delete, "/auth/revoke/1");
        await GetAsync(context.Bot, "/metrics");
        var openApi = await (await GetAsync(context.Browser, "/swagger/v1/swagger.json")).Content.ReadAsStringAsync();
        var swaggerUi = await (await GetAsync(context.Browser, "/swagger/index.html")).Content.ReadAsStringAsync();

        var secrets = Secrets();
        var text = log.Text;
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
            ("client secret", context.Atlassian.ClientSecret),
            ("API key", AuthServerFactory.ApiKey),
            ("encryption key", AuthServerFactory.EncryptionKey),
            ("tried key", TriedKey),
        };
        foreach (var issued in context.Atlassian.IssuedTokens)
        {
            secrets.Add(("access token", issued.AccessToken));
            secrets.Add(("refresh token", issued.RefreshToken!));
        }

        foreach (var request in context.Atlassian.TokenRequests)
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
        var start = await context.StartAuthorizationAsync(user);
        states.Add(start.Value<string>("state")!);
        var callback = await WebTestContext.ConsentAsync(start.Value<string>("auth_url")!);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query);
        if (query.TryGetValue("code", out var code))
        {
            codes.Add(code.ToString());
        }

        return await GetAsync(context.Browser, callback.PathAndQuery);
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
