using System.Net;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>The audit lines of what the bot does with its key, and the per-request line, as an operator reads them.</summary>
public sealed class AuditLogTests : WebTestBase
{
    private const long UserId = 5151;
    private const string BotAddress = "198.51.100.23";
    private static readonly string Key = TestRequest.Bearer(AuthServerFactory.ApiKey);

    [Test]
    public async Task A_token_handed_out_is_logged_with_the_user_the_callers_address_and_the_expiry()
    {
        await Context.AuthorizeAsync(UserId);
        using var log = new NLogCapture();

        var token = await SendAsync($"/auth/token/{UserId}", HttpMethod.Get);

        var expiresAt = (await WebTestContext.JsonOf(token)).Value<string>("expires_at")!;
        // The body keeps six fraction digits, the log line's round-trip format seven: compared to the second.
        Assert.That(log.Lines, Has.One.Contains($"Token handed out for user {UserId} to {BotAddress}, valid until {expiresAt[..19]}"));
    }

    [Test]
    public async Task No_token_handed_out_line_when_no_token_was_handed_out()
    {
        using var log = new NLogCapture();

        var token = await SendAsync($"/auth/token/{UserId}", HttpMethod.Get);

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(log.Text, Does.Not.Contain("Token handed out"));
    }

    [Test]
    public async Task A_revoke_is_logged_with_the_callers_address_and_whether_there_was_a_grant()
    {
        await Context.AuthorizeAsync(UserId);
        using var log = new NLogCapture();

        await SendAsync($"/auth/revoke/{UserId}", HttpMethod.Delete);
        await SendAsync($"/auth/revoke/{UserId}", HttpMethod.Get);

        Assert.That(log.Lines, Has.One.Contains($"Revoke for user {UserId} by {BotAddress}: grant deleted"));
        Assert.That(log.Lines, Has.One.Contains($"Revoke for user {UserId} by {BotAddress}: no grant"));
    }

    [Test]
    public async Task The_request_line_names_the_route_and_the_user_and_never_echoes_a_malformed_id()
    {
        using var log = new NLogCapture();

        await SendAsync($"/auth/token/{UserId}", HttpMethod.Get);
        await SendAsync("/auth/token/12%0AFORGED-LINE", HttpMethod.Get);
        await SendAsync("/health", HttpMethod.Get);

        var lines = log.Lines;
        Assert.That(lines, Has.One.Contains($"GET auth/token/{{telegram_user_id}} user={UserId} -> 404 in "));
        Assert.That(lines, Has.One.Contains("GET auth/token/{telegram_user_id} user=(invalid) -> 400 in "));
        Assert.That(log.Text, Does.Not.Contain("FORGED-LINE"));
        Assert.That(lines, Has.One.Match(@"DEBUG \S+: GET health -> 200 in "), "probes: a debug line without a user");
    }

    private async Task<HttpResponseMessage> SendAsync(string url, HttpMethod method)
    {
        using var request = TestRequest.Create(url, BotAddress, Key, method: method);
        return await Context.Browser.SendAsync(request);
    }
}
