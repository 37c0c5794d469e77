using System.Net;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Web;

public sealed class ApiKeyLockoutTests : WebTestBase
{
    private const string Attacker = "203.0.113.66";
    private const string Bot = "198.51.100.10";
    private static readonly string RightKey = TestRequest.Bearer(AuthServerFactory.ApiKey);
    private FakeTimeProvider clock = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return WebTestContext.StartAsync(clock: clock);
    }

    [Test]
    public async Task Ten_wrong_keys_a_minute_then_429_with_retry_after_even_for_the_right_key()
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var wrong = await SendAsync("/auth/token/1", Attacker, TestRequest.Bearer($"guess-{attempt}"));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {attempt}");
        }

        var blocked = await SendAsync("/auth/token/1", Attacker, TestRequest.Bearer("guess-11"));
        var rightKeyWhileBlocked = await SendAsync("/auth/start?telegram_user_id=1", Attacker, RightKey);

        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(blocked.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That((await WebTestContext.JsonOf(blocked)).Value<string>("error"), Is.EqualTo("Too many failed API key attempts"));
        Assert.That(rightKeyWhileBlocked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a right guess must look like a wrong one while blocked");
    }

    [Test]
    public async Task The_lockout_holds_one_address_only_and_ends_with_its_window()
    {
        await using var strict = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_KEY_FAILURES"] = "3", ["RATE_LIMIT_WINDOW"] = "2m" }, clock);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await SendAsync(strict, "/auth/revoke/1", Attacker, TestRequest.Bearer("wrong"));
        }

        var blocked = await SendAsync(strict, "/auth/start?telegram_user_id=1", Attacker, RightKey);
        var otherClient = await SendAsync(strict, "/auth/start?telegram_user_id=1", Bot, RightKey);
        var withoutKey = await SendAsync(strict, "/auth/status/1", Attacker, authorization: null);
        clock.Advance(TimeSpan.FromSeconds(90));
        var stillBlocked = await SendAsync(strict, "/auth/start?telegram_user_id=1", Attacker, RightKey);
        clock.Advance(TimeSpan.FromSeconds(31));
        var afterWindow = await SendAsync(strict, "/auth/start?telegram_user_id=1", Attacker, RightKey);

        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(blocked.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(otherClient.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(withoutKey.StatusCode, Is.EqualTo(HttpStatusCode.OK), "public endpoints stay usable without a key");
        Assert.That(stillBlocked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(stillBlocked.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(afterWindow.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Every_IPv6_address_of_one_64_network_counts_as_one_client()
    {
        await using var strict = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_KEY_FAILURES"] = "2" }, clock);
        await SendAsync(strict, "/auth/token/1", "2001:db8:1:2::1", TestRequest.Bearer("a"));
        await SendAsync(strict, "/auth/token/1", "2001:db8:1:2:ffff::9", TestRequest.Bearer("b"));

        var sameNetwork = await SendAsync(strict, "/auth/start?telegram_user_id=1", "2001:db8:1:2:abcd::1", RightKey);
        var nextNetwork = await SendAsync(strict, "/auth/start?telegram_user_id=1", "2001:db8:1:3::1", RightKey);

        Assert.That(sameNetwork.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(nextNetwork.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Each_failure_is_logged_with_the_address_and_never_with_the_key_tried()
    {
        using var log = new NLogCapture();
        for (var attempt = 0; attempt < 11; attempt++)
        {
            await SendAsync("/auth/token/1", Attacker, TestRequest.Bearer($"tried-key-{attempt}-Zq"));
        }

        var lines = log.Lines;
        Assert.That(lines.Count(line => line.Contains($"Rejected API key from {Attacker} on /auth/token/1", StringComparison.Ordinal)), Is.EqualTo(10));
        Assert.That(lines, Has.One.Contains($"Locked out {Attacker} after 10 wrong API keys"));
        Assert.That(lines, Has.One.Contains($"Refused API key attempt from locked-out {Attacker}"));
        Assert.That(log.Text, Does.Not.Contain("tried-key-"));
    }

    [Test]
    public async Task Zero_turns_the_lockout_off()
    {
        await using var open = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_KEY_FAILURES"] = "0" }, clock);
        for (var attempt = 0; attempt < 15; attempt++)
        {
            await SendAsync(open, "/auth/token/1", Attacker, TestRequest.Bearer("wrong"));
        }

        var right = await SendAsync(open, "/auth/start?telegram_user_id=1", Attacker, RightKey);

        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private Task<HttpResponseMessage> SendAsync(string url, string peer, string? authorization) => SendAsync(Context, url, peer, authorization);

    private static async Task<HttpResponseMessage> SendAsync(WebTestContext target, string url, string peer, string? authorization)
    {
        using var request = TestRequest.Create(url, peer, authorization);
        return await target.Browser.SendAsync(request);
    }
}
