using System.Net;
using System.Net.Http.Headers;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// Real answers of the real server, each checked against /swagger/v1/swagger.json as an OpenAPI-validating proxy
/// would: an undocumented status, content type or body shape fails. One row per answer: a new endpoint (or a new
/// answer) is one more row in <see cref="Answers"/>.
/// </summary>
public sealed class OpenApiReplayTests : WebTestBase
{
    private const string WrongKey = "not-the-key";

    protected override Task<WebTestContext> StartContextAsync() => WebTestContext.StartAsync(new Dictionary<string, string?>
    {
        ["RATE_LIMIT_STATUS"] = "2",
        ["RATE_LIMIT_CALLBACK"] = "2",
        ["RATE_LIMIT_KEY_FAILURES"] = "2",
    });

    /// <summary>A name, the status the server must answer, and how to get that answer from a fresh server.</summary>
    public sealed record Answer(string Name, HttpStatusCode Status, Func<WebTestContext, Task<HttpResponseMessage>> Send)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<TestCaseData> Answers() => new Answer[]
    {
        new("start", HttpStatusCode.OK, c => Bot(c, "/auth/start?telegram_user_id=1")),
        new("start without an id", HttpStatusCode.BadRequest, c => Bot(c, "/auth/start")),
        new("start with a bad id", HttpStatusCode.BadRequest, c => Bot(c, "/auth/start?telegram_user_id=abc")),
        new("start with the id twice", HttpStatusCode.BadRequest, c => Bot(c, "/auth/start?telegram_user_id=1&telegram_user_id=2")),
        new("start without the key", HttpStatusCode.Unauthorized, c => Browser(c, "/auth/start?telegram_user_id=1")),
        new("start with a wrong key", HttpStatusCode.Unauthorized, c => WithKey(c, "/auth/start?telegram_user_id=1", WrongKey)),
        new("start locked out", HttpStatusCode.TooManyRequests, c => LockedOut(c, "/auth/start?telegram_user_id=1")),
        new("start rate limited", HttpStatusCode.TooManyRequests, c => Repeated(c, "/auth/start?telegram_user_id=1", 3)),
        new("start with the store down", HttpStatusCode.ServiceUnavailable, c => WithBrokenJournal(c, c.TokensFile + ".states", () => Bot(c, "/auth/start?telegram_user_id=1"))),

        new("callback", HttpStatusCode.OK, c => c.AuthorizeAsync(1)),
        new("callback with a forged state", HttpStatusCode.BadRequest, c => Browser(c, "/auth/callback?state=forged&code=x")),
        new("callback declined", HttpStatusCode.Forbidden, c => Declined(c)),
        new("callback with Atlassian failing", HttpStatusCode.BadGateway, c =>
        {
            c.Atlassian.FailNextTokenRequests(FakeFailure.ServerError(), count: 10);
            return c.AuthorizeAsync(1);
        }),
        new("callback with the store down", HttpStatusCode.ServiceUnavailable, async c =>
        {
            await c.AuthorizeAsync(1);
            return await WithBrokenJournal(c, c.TokensFile, () => c.AuthorizeAsync(2));
        }),
        new("callback with the state twice", HttpStatusCode.BadRequest, c => Browser(c, "/auth/callback?state=a&state=b")),
        new("callback rate limited", HttpStatusCode.TooManyRequests, c => Repeated(c, "/auth/callback?state=forged&code=x", 3)),

        new("status connected", HttpStatusCode.OK, async c => Connected(await c.AuthorizeAsync(1), await Browser(c, "/auth/status/1"))),
        new("status of an unknown user", HttpStatusCode.OK, c => Browser(c, "/auth/status/404")),
        new("status with a bad id", HttpStatusCode.BadRequest, c => Browser(c, "/auth/status/-1")),
        new("status of a dead grant", HttpStatusCode.OK, async c =>
        {
            await DeadGrant(c);
            return await Browser(c, "/auth/status/1");
        }),
        new("status of a grant this server cannot decrypt", HttpStatusCode.ServiceUnavailable, async c =>
        {
            await StoreUnreadableGrant(c, 9);
            return await Browser(c, "/auth/status/9");
        }),
        new("status rate limited", HttpStatusCode.TooManyRequests, c => Repeated(c, "/auth/status/1", 3)),
        new("status locked out", HttpStatusCode.TooManyRequests, c => LockedOut(c, "/auth/status/1")),

        new("token", HttpStatusCode.OK, async c => Connected(await c.AuthorizeAsync(1), await Bot(c, "/auth/token/1"))),
        new("token of an unknown user", HttpStatusCode.NotFound, c => Bot(c, "/auth/token/404")),
        new("token with a bad id", HttpStatusCode.BadRequest, c => Bot(c, "/auth/token/x1")),
        new("token without the key", HttpStatusCode.Unauthorized, c => Browser(c, "/auth/token/1")),
        new("token with a wrong key", HttpStatusCode.Unauthorized, c => WithKey(c, "/auth/token/1", WrongKey)),
        new("token locked out", HttpStatusCode.TooManyRequests, c => LockedOut(c, "/auth/token/1")),
        new("token of a dead grant", HttpStatusCode.Unauthorized, DeadGrant),
        new("token of a grant this server cannot decrypt", HttpStatusCode.ServiceUnavailable, async c =>
        {
            await StoreUnreadableGrant(c, 9);
            return await Bot(c, "/auth/token/9");
        }),
        new("token with Atlassian down", HttpStatusCode.ServiceUnavailable, async c =>
        {
            c.Atlassian.AccessTokenLifetime = TimeSpan.FromSeconds(1);
            await c.AuthorizeAsync(1);
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // expired: no token left to hand out
            c.Atlassian.FailNextTokenRequests(FakeFailure.ServiceUnavailable("1"), count: 20);
            return await Bot(c, "/auth/token/1");
        }),

        new("revoke", HttpStatusCode.OK, async c => Connected(await c.AuthorizeAsync(1), await Bot(c, "/auth/revoke/1", HttpMethod.Delete))),
        new("revoke by GET", HttpStatusCode.OK, async c => Connected(await c.AuthorizeAsync(1), await Bot(c, "/auth/revoke/1"))),
        new("revoke of an unknown user", HttpStatusCode.NotFound, c => Bot(c, "/auth/revoke/404", HttpMethod.Delete)),
        new("revoke with a bad id", HttpStatusCode.BadRequest, c => Bot(c, "/auth/revoke/0x1", HttpMethod.Delete)),
        new("revoke without the key", HttpStatusCode.Unauthorized, c => Browser(c, "/auth/revoke/1", HttpMethod.Delete)),
        new("revoke with the store down", HttpStatusCode.ServiceUnavailable, async c =>
        {
            await c.AuthorizeAsync(1);
            return await WithBrokenJournal(c, c.TokensFile, () => Bot(c, "/auth/revoke/1", HttpMethod.Delete));
        }),

        new("users", HttpStatusCode.OK, async c => Connected(await c.AuthorizeAsync(1), await Bot(c, "/auth/users?limit=10"))),
        new("users with a bad limit", HttpStatusCode.BadRequest, c => Bot(c, "/auth/users?limit=0")),
        new("users with a bad cursor", HttpStatusCode.BadRequest, c => Bot(c, "/auth/users?after=%21%21")),
        new("users with a bad status", HttpStatusCode.BadRequest, c => Bot(c, "/auth/users?status=asleep")),
        new("users without the key", HttpStatusCode.Unauthorized, c => Browser(c, "/auth/users")),
        new("users locked out", HttpStatusCode.TooManyRequests, c => LockedOut(c, "/auth/users")),

        new("jira call", HttpStatusCode.OK, async c => Connected(await c.AuthorizeAsync(1), await Bot(c, "/jira/1/rest/api/3/myself"))),
        new("jira call of an unknown user", HttpStatusCode.NotFound, c => Bot(c, "/jira/404/rest/api/3/myself")),
        new("jira call outside rest/", HttpStatusCode.BadRequest, c => Bot(c, "/jira/1/wiki/api/v2/pages")),
        new("jira call without the key", HttpStatusCode.Unauthorized, c => Browser(c, "/jira/1/rest/api/3/myself")),
        new("jira call of a dead grant", HttpStatusCode.Unauthorized, async c =>
        {
            await DeadGrant(c);
            return await Bot(c, "/jira/1/rest/api/3/myself");
        }),

        new("health", HttpStatusCode.OK, c => Browser(c, "/health")),
        new("health/live", HttpStatusCode.OK, c => Browser(c, "/health/live")),
        new("health/ready", HttpStatusCode.OK, c => Browser(c, "/health/ready")),
        new("health/ready with the store down", HttpStatusCode.ServiceUnavailable, c => StoreDownThen(c, "/health/ready")),
        new("health with the store down", HttpStatusCode.ServiceUnavailable, c => StoreDownThen(c, "/health")),
        new("health locked out", HttpStatusCode.TooManyRequests, c => LockedOut(c, "/health")),

        new("metrics", HttpStatusCode.OK, c => Bot(c, "/metrics")),
        new("metrics without the key", HttpStatusCode.Unauthorized, c => Browser(c, "/metrics")),
        new("metrics locked out", HttpStatusCode.TooManyRequests, c => LockedOut(c, "/metrics")),
    }.Select(answer => new TestCaseData(answer).SetName("Described: " + answer.Name));

    [TestCaseSource(nameof(Answers))]
    public async Task Every_real_answer_is_described_by_the_document(Answer answer)
    {
        var response = await answer.Send(Context);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(answer.Status), body);

        var contract = await OpenApiContract.LoadAsync(Context.Browser);
        var request = response.RequestMessage!;
        Assert.That(contract.Problems(request.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType, body), Is.Empty);
    }

    [Test]
    public async Task The_check_fails_on_an_undocumented_status_content_type_or_body()
    {
        var contract = await OpenApiContract.LoadAsync(Context.Browser);
        var json = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        Assert.That(contract.Problems(HttpMethod.Get, "/health", 200, json, """{"status":"healthy"}"""), Is.Empty, "the real answer passes");
        Assert.That(contract.Problems(HttpMethod.Get, "/health", 418, json, """{"status":"healthy"}"""), Has.One.Contains("status is not documented"));
        Assert.That(contract.Problems(HttpMethod.Get, "/health", 200, MediaTypeHeaderValue.Parse("text/html"), "<p>ok</p>"), Has.One.Contains("content type text/html"));
        Assert.That(contract.Problems(HttpMethod.Get, "/health", 200, json, """{"status":"healthy","token":"x"}"""), Is.Not.Empty, "a property the schema does not have");
        Assert.That(contract.Problems(HttpMethod.Get, "/auth/token/1", 200, json, """{"expires_at":"2026-01-01T00:00:00+00:00"}"""), Is.Not.Empty, "a required property missing");
        Assert.That(contract.Problems(HttpMethod.Get, "/auth/status/1", 200, json, """{"authenticated":null}"""), Is.Not.Empty, "null where the schema has none");
        Assert.That(contract.Problems(HttpMethod.Put, "/health", 200, json, """{"status":"healthy"}"""), Has.One.Contains("not in the document"));
    }

    private static Task<HttpResponseMessage> Bot(WebTestContext context, string url, HttpMethod? method = null) =>
        context.Bot.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(url, UriKind.Relative)));

    private static Task<HttpResponseMessage> Browser(WebTestContext context, string url, HttpMethod? method = null) =>
        context.Browser.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(url, UriKind.Relative)));

    private static Task<HttpResponseMessage> WithKey(WebTestContext context, string url, string key) =>
        context.Browser.SendAsync(TestRequest.Create(url, authorization: TestRequest.Bearer(key)));

    /// <summary>Wrong keys up to the limit, then the right one: refused with 429 like every request with a key.</summary>
    private static async Task<HttpResponseMessage> LockedOut(WebTestContext context, string url)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await WithKey(context, "/auth/token/1", WrongKey);
        }

        return await WithKey(context, url, AuthServerFactory.ApiKey);
    }

    private static async Task<HttpResponseMessage> Repeated(WebTestContext context, string url, int times)
    {
        for (var attempt = 1; attempt < times; attempt++)
        {
            await Browser(context, url);
        }

        return await Browser(context, url);
    }

    private static async Task<HttpResponseMessage> Declined(WebTestContext context)
    {
        context.Atlassian.ConsentMode = FakeConsentMode.AutoDecline;
        var start = await context.StartAuthorizationAsync(1);
        var callback = await WebTestContext.ConsentAsync(start.Value<string>("auth_url")!);
        return await Browser(context, callback.PathAndQuery);
    }

    /// <summary>Atlassian has revoked the grant: the next refresh is refused and the grant is marked.</summary>
    private static async Task<HttpResponseMessage> DeadGrant(WebTestContext context)
    {
        context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(1);
        await context.AuthorizeAsync(1);
        context.Atlassian.Revoke(context.Atlassian.LastIssuedTokens!.RefreshToken!);
        return await Bot(context, "/auth/token/1");
    }

    /// <summary>A grant sealed with a key this server does not have, as one written by an instance with a newer key ring.</summary>
    private static Task StoreUnreadableGrant(WebTestContext context, long telegramUserId)
    {
        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');
        var grant = new GrantBuilder(FernetTokenCipher.FromEncryptionKey(otherKey)).ExpiringAt(DateTimeOffset.UtcNow.AddHours(1)).Build();
        return context.Factory.Services.GetRequiredService<ITokenRepository>().SaveAsync(telegramUserId, grant, CancellationToken.None);
    }

    private static async Task<HttpResponseMessage> StoreDownThen(WebTestContext context, string url)
    {
        await context.AuthorizeAsync(1);
        await WithBrokenJournal(context, context.TokensFile, () => Bot(context, "/auth/revoke/1", HttpMethod.Delete));
        return await Browser(context, url);
    }

    /// <summary>A folder where a journal goes: the next append fails, even for root. Repaired before the server stops.</summary>
    private static async Task<HttpResponseMessage> WithBrokenJournal(WebTestContext context, string snapshot, Func<Task<HttpResponseMessage>> send)
    {
        var journal = snapshot + ".journal";
        File.Delete(journal);
        Directory.CreateDirectory(journal);
        return await send();
    }

    private static HttpResponseMessage Connected(HttpResponseMessage callback, HttpResponseMessage answer)
    {
        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the user connected first");
        return answer;
    }

    [TearDown]
    public void RepairJournals()
    {
        foreach (var journal in new[] { Context.TokensFile + ".journal", Context.TokensFile + ".states.journal" }.Where(Directory.Exists))
        {
            Directory.Delete(journal);
        }
    }
}
