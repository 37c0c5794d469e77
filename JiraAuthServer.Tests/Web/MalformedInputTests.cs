using System.Net;
using System.Net.Http.Headers;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// Every endpoint against malformed ids, query strings, headers, huge values, odd encodings and wrong methods: each
/// answer is a 4xx (never a 5xx), JSON ones carry an <c>error</c> field, and nothing reaches Atlassian or the stores.
/// Limits are off here so that each answer is the endpoint's own; forwarded headers are on so their parsing is hit too.
/// (What Kestrel itself refuses, such as NUL in a path or an oversized request line, is checked over real sockets in
/// <see cref="OutOfProcess.SecurityProcessTests"/>.)
/// </summary>
[TestFixture]
public sealed class MalformedInputTests
{
    private const string Right = "right";
    private static readonly string Huge = new('9', 100_000);
    private static readonly string HugeText = new('a', 100_000);
    private WebTestContext context = null!;

    private static IEnumerable<TestCaseData> Cases()
    {
        var ids = new[]
        {
            "abc", "0", "-1", "+1", "1.0", "1e3", "0x10", "1_000", "99999999999999999999", "9223372036854775808", "%20", "%201", "1%20",
            "%0A1", "1%0D%0AINFO%20forged", "%EF%BC%91", "%D9%A1", "%C0%B1", "%F0%9F%98%80", "%FF%FE", "%", "%ZZ",
            "1%2F2", "..%2F..%2Fetc%2Fpasswd", "telegram_user_1", "null", "undefined", "%E2%80%8B1", Huge,
        };
        foreach (var id in ids)
        {
            var label = id.Length > 40 ? "huge" : id;
            yield return Case("GET", $"/auth/status/{id}", null, $"status id {label}");
            yield return Case("GET", $"/auth/token/{id}", Right, $"token id {label}");
            yield return Case("GET", $"/auth/revoke/{id}", Right, $"revoke id {label}");
            yield return Case("DELETE", $"/auth/revoke/{id}", Right, $"revoke (DELETE) id {label}");
            yield return Case("GET", $"/auth/start?telegram_user_id={id}", Right, $"start id {label}");
        }

        yield return Case("GET", "/auth/start", Right, "start without id");
        yield return Case("GET", "/auth/start?telegram_user_id=", Right, "start with empty id");
        yield return Case("GET", "/auth/start?telegram_user_id=1&telegram_user_id=2", Right, "start with a repeated id");
        yield return Case("GET", "/auth/start?telegram_user_id[]=1", Right, "start with an array id");
        yield return Case("GET", "/auth/start?TELEGRAM_USER_ID=1&telegram_user_id=2", Right, "start with the id in two cases");
        yield return Case("GET", "/auth/start?telegram_user_id=1", "wrong", "start with a wrong key");
        yield return Case("GET", "/auth/start?telegram_user_id=1", "Bearer " + HugeText, "start with a huge key");
        yield return Case("GET", "/auth/start?telegram_user_id=1", "Bearer ключ", "start with a non-ASCII key");
        yield return Case("GET", "/auth/start?telegram_user_id=1", "Basic dGVzdDp0ZXN0", "start with Basic auth");
        yield return Case("GET", "/auth/start?telegram_user_id=1", "Bearer", "start with a bare scheme");
        yield return Case("GET", "/auth/start?telegram_user_id=1", "Bearer " + AuthServerFactory.ApiKey + ", Bearer x", "start with two keys in one header");
        yield return Case("GET", "/auth/token/1", "Bearer " + AuthServerFactory.ApiKey + "%00", "token with an encoded NUL after the key");

        foreach (var query in new[]
        {
            string.Empty, "?code=abc", "?state=", "?code=&state=", "?code=abc&state=telegram_user_1", $"?code=abc&state={HugeText}",
            $"?code={HugeText}&state=forged", $"?error={HugeText}&state=forged", "?code=abc&state=%FF%FE%00", "?code=abc&state=%",
            "?code=a&code=b&state=x", "?state=a&state=b&code=c", "?state[]=x&code=y", "?error=access_denied", "?error=%3Cscript%3E&state=%3Cb%3E",
            "?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "?code=abc&state=" + new string('A', 43) + "%0A",
        })
        {
            yield return Case("GET", "/auth/callback" + query, null, $"callback {(query.Length > 60 ? query[..20] + "...(huge)" : query)}");
        }

        foreach (var (method, url) in new[]
        {
            ("POST", "/auth/start?telegram_user_id=1"), ("PUT", "/auth/start?telegram_user_id=1"), ("HEAD", "/auth/start?telegram_user_id=1"),
            ("POST", "/auth/callback?code=a&state=b"), ("DELETE", "/auth/callback"), ("POST", "/auth/status/1"), ("PATCH", "/auth/status/1"),
            ("DELETE", "/auth/token/1"), ("POST", "/auth/token/1"), ("PUT", "/auth/revoke/1"), ("POST", "/auth/revoke/1"), ("POST", "/health"),
            ("TRACE", "/auth/status/1"), ("POST", "/metrics"), ("DELETE", "/swagger/v1/swagger.json"),
        })
        {
            yield return Case(method, url, Right, $"{method} {url}");
        }

        foreach (var url in new[] { "/auth", "/auth/", "/auth/token", "/auth/revoke", "/auth/status", "/auth/token/1/extra", "/auth/status/1/..%2F2", "/.env", "/user_tokens.json", "/user_tokens.json.states", "/%2e%2e/%2e%2e/etc/passwd" })
        {
            yield return Case("GET", url, Right, $"path {url}");
        }

        yield return Case("GET", "/auth/status/abc", null, "garbage X-Forwarded-For", ("X-Forwarded-For", "not-an-ip, 999.1.1.1, ::::"));
        yield return Case("GET", "/auth/status/abc", null, "huge X-Forwarded-For", ("X-Forwarded-For", string.Join(", ", Enumerable.Repeat("198.51.100.1", 5000))));
        yield return Case("GET", "/auth/status/abc", null, "odd X-Forwarded-Proto", ("X-Forwarded-Proto", "javascript, https, http"));
        yield return Case("GET", "/auth/status/abc", null, "Accept xml", ("Accept", "application/xml"));
        yield return Case("GET", "/auth/status/abc", null, "huge cookie", ("Cookie", "a=" + HugeText));
        yield return Case("GET", "/auth/token/abc", Right, "Origin from nowhere", ("Origin", "null"));
        yield return Case("OPTIONS", "/auth/token/1", null, "preflight without CORS", ("Origin", "https://evil.example.net"), ("Access-Control-Request-Method", "GET"));
    }

    [OneTimeSetUp]
    public async Task StartServer() => context = await WebTestContext.StartAsync(new Dictionary<string, string?>
    {
        ["RATE_LIMIT_KEY_FAILURES"] = "0",
        ["RATE_LIMIT_CALLBACK"] = "0",
        ["RATE_LIMIT_STATUS"] = "0",
        ["FORWARDED_HEADERS"] = "true",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await context.DisposeAsync();

    [TestCaseSource(nameof(Cases))]
    public async Task Malformed_input_is_a_4xx_and_stores_nothing(string method, string url, string? authorization, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
        request.Headers.Add(PeerAddressStartupFilter.Header, "127.0.0.1");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization == Right ? new AuthenticationHeaderValue("Bearer", AuthServerFactory.ApiKey).ToString() : authorization);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await context.Browser.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.InRange(400, 499), body.Length > 300 ? body[..300] : body);
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            Assert.That(JObject.Parse(body).Value<string>("error"), Is.Not.Null.And.Not.Empty);
        }

        Assert.That(body, Does.Not.Contain(" at JiraAuthServer").And.Not.Contain("Exception"));
        Assert.That(context.Atlassian.TokenRequestCount, Is.Zero, "nothing reached Atlassian");
        Assert.That(File.Exists(context.TokensFile) ? File.ReadAllText(context.TokensFile).Trim() : "{}", Is.EqualTo("{}"), "no grant stored");
        Assert.That(File.Exists(context.TokensFile + ".states") ? File.ReadAllText(context.TokensFile + ".states") : string.Empty, Does.Not.Contain("telegram_user_id"), "no state issued");
    }

    private static TestCaseData Case(string method, string url, string? authorization, string name, params (string Name, string Value)[] headers) =>
        new TestCaseData(method, url, authorization, headers).SetName($"Malformed: {name}");
}
