using System.Net;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>The per-request line (the audit line of a token handed out) and the revoke line, as an operator reads them.</summary>
public sealed class AuditLogTests : WebTestBase
{
    private const long UserId = 5151;
    private const string BotAddress = "198.51.100.23";
    private static readonly string Key = TestRequest.Bearer(AuthServerFactory.ApiKey);

    [Test]
    public async Task A_token_handed_out_is_one_line_with_the_user_the_callers_address_and_the_outcome()
    {
        await Context.AuthorizeAsync(UserId);
        using var log = new NLogCapture();

        var token = await SendAsync($"/auth/token/{UserId}", HttpMethod.Get);

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var accessToken = (await WebTestContext.JsonOf(token)).Value<string>("access_token")!;
        Assert.That(log.Lines, Has.One.Contains($"GET auth/token/{{telegram_user_id}} user={UserId} from {BotAddress} -> 200 served in "));
        Assert.That(log.Lines.Where(line => line.Contains($"{UserId}", StringComparison.Ordinal)), Has.Exactly(1).Items, "one line per request, not a request line and an audit line");
        Assert.That(log.Text, Does.Not.Contain(accessToken));
    }

    [Test]
    public async Task The_request_line_says_why_no_token_was_handed_out()
    {
        using var log = new NLogCapture();

        var token = await SendAsync($"/auth/token/{UserId}", HttpMethod.Get);

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(log.Lines, Has.One.Contains($"user={UserId} from {BotAddress} -> 404 not_connected in "));
        Assert.That(log.Text, Does.Not.Contain(" served "));
    }

    [Test]
    public async Task The_status_line_carries_its_outcome_and_other_requests_a_dash()
    {
        await Context.AuthorizeAsync(UserId);
        using var log = new NLogCapture();

        await SendAsync($"/auth/status/{UserId}", HttpMethod.Get);
        await SendAsync($"/auth/start?telegram_user_id={UserId}", HttpMethod.Get);

        Assert.That(log.Lines, Has.One.Contains($"GET auth/status/{{telegram_user_id}} user={UserId} from {BotAddress} -> 200 served in "));
        Assert.That(log.Lines, Has.One.Contains($"GET auth/start user={UserId} from {BotAddress} -> 200 - in "));
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
        Assert.That(lines, Has.One.Contains($"GET auth/token/{{telegram_user_id}} user={UserId} from {BotAddress} -> 404 not_connected in "));
        Assert.That(lines, Has.One.Contains($"GET auth/token/{{telegram_user_id}} user=(invalid) from {BotAddress} -> 400 - in "));
        Assert.That(log.Text, Does.Not.Contain("FORGED-LINE"));
        Assert.That(lines, Has.One.Match(@"DEBUG \S+: GET health -> 200 in "), "probes: a debug line without a user");
    }

    private async Task<HttpResponseMessage> SendAsync(string url, HttpMethod method)
    {
        using var request = TestRequest.Create(url, BotAddress, Key, method: method);
        return await Context.Browser.SendAsync(request);
    }
}
