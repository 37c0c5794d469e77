using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JiraAuthServer.Tests.Web;

/// <summary>HTTPS redirection with HSTS (off by default), and CORS for the JSON endpoints (none by default).</summary>
public sealed class NetworkSecurityTests
{
    private const string AllowedOrigin = "https://app.example.com";
    private const string OtherOrigin = "https://evil.example.net";
    private const string PublicCallback = "https://auth.example.com/auth/callback";

    [Test]
    public async Task By_default_plain_HTTP_is_served_without_HSTS()
    {
        await using var context = await WebTestContext.StartAsync();
        using var client = context.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://auth.example.com"), AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False);
    }

    [Test]
    public async Task REQUIRE_HTTPS_redirects_HTTP_to_HTTPS_and_sends_HSTS_over_HTTPS()
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["REQUIRE_HTTPS"] = "true", ["JIRA_REDIRECT_URI"] = PublicCallback });
        using var http = context.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://auth.example.com"), AllowAutoRedirect = false });
        using var https = context.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://auth.example.com"), AllowAutoRedirect = false });

        var redirected = await http.GetAsync(new Uri("/auth/status/1?x=1", UriKind.Relative));
        var secure = await https.GetAsync(new Uri("/auth/status/1", UriKind.Relative));

        Assert.That((int)redirected.StatusCode, Is.EqualTo(307));
        Assert.That(redirected.Headers.Location, Is.EqualTo(new Uri("https://auth.example.com/auth/status/1?x=1")));
        Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(secure.Headers.GetValues("Strict-Transport-Security").Single(), Does.Contain("max-age=31536000"));
    }

    [Test]
    public async Task The_HTTPS_redirect_goes_to_the_host_of_JIRA_REDIRECT_URI_whatever_Host_the_request_names()
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?>
        {
            ["REQUIRE_HTTPS"] = "true", ["JIRA_REDIRECT_URI"] = PublicCallback, ["HTTPS_PORT"] = "8443",
        });
        using var http = context.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example"), AllowAutoRedirect = false });
        using var request = TestRequest.Create("/auth/status/1?x=1&next=%2Fa%20b");
        request.Headers.Host = "evil.example";

        var response = await http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(307));
        Assert.That(response.Headers.Location, Is.EqualTo(new Uri("https://auth.example.com:8443/auth/status/1?x=1&next=%2Fa%20b")));
    }

    [Test]
    public async Task Behind_a_TLS_proxy_the_forwarded_scheme_counts_as_HTTPS()
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["REQUIRE_HTTPS"] = "true", ["FORWARDED_HEADERS"] = "true" });
        using var http = context.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://auth.example.com"), AllowAutoRedirect = false });
        using var request = TestRequest.Create("/auth/status/1", peer: "127.0.0.1");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.True);
    }

    [Test]
    public async Task Without_CORS_ORIGINS_no_origin_may_read_the_JSON_endpoints()
    {
        await using var context = await WebTestContext.StartAsync();

        var simple = await SendAsync(context, HttpMethod.Get, "/auth/status/1", AllowedOrigin);
        var preflight = await PreflightAsync(context, "/auth/token/1", AllowedOrigin);

        Assert.That(simple.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(preflight.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That((int)preflight.StatusCode, Is.GreaterThanOrEqualTo(400));
    }

    [Test]
    public async Task CORS_ORIGINS_lets_exactly_the_listed_origins_call_the_JSON_endpoints()
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["CORS_ORIGINS"] = $"{AllowedOrigin}/, https://admin.example.com:8443" });

        var allowed = await SendAsync(context, HttpMethod.Get, "/auth/status/1", AllowedOrigin);
        var withPort = await SendAsync(context, HttpMethod.Get, "/health", "https://admin.example.com:8443");
        var other = await SendAsync(context, HttpMethod.Get, "/auth/status/1", OtherOrigin);
        var preflight = await PreflightAsync(context, "/auth/token/1", AllowedOrigin);
        var otherPreflight = await PreflightAsync(context, "/auth/token/1", OtherOrigin);
        var page = await SendAsync(context, HttpMethod.Get, "/auth/callback?state=x", AllowedOrigin);

        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(AllowedOrigin));
        Assert.That(withPort.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://admin.example.com:8443"));
        Assert.That(allowed.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
        Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(preflight.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(preflight.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(AllowedOrigin));
        Assert.That(string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Headers")), Does.Contain("Authorization").IgnoreCase);
        Assert.That(otherPreflight.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(page.Headers.Contains("Access-Control-Allow-Origin"), Is.False, "the callback page is not for scripts");
    }

    private static async Task<HttpResponseMessage> SendAsync(WebTestContext context, HttpMethod method, string url, string origin)
    {
        using var request = TestRequest.Create(url, method: method);
        request.Headers.Add("Origin", origin);
        return await context.Browser.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(WebTestContext context, string url, string origin)
    {
        using var request = TestRequest.Create(url, method: HttpMethod.Options);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await context.Browser.SendAsync(request);
    }
}
