using System.Net;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The per-address limits on the public endpoints. The window is an hour here so that no window can end in the middle
/// of a test on a slow machine.
/// </summary>
public sealed class PublicRateLimitTests
{
    private const string Client = "203.0.113.7";
    private const string OtherClient = "203.0.113.8";
    private const string LocalProxy = "127.0.0.1";
    private const string PrivatePeer = "10.1.2.3";
    private static readonly string RightKey = TestRequest.Bearer(AuthServerFactory.ApiKey);

    [Test]
    public async Task The_callback_is_limited_per_address_with_a_429_json_and_retry_after()
    {
        await using var context = await StartAsync(("RATE_LIMIT_CALLBACK", "3"));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.That((await SendAsync(context, "/auth/callback?code=x&state=forged", Client)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        var limited = await SendAsync(context, "/auth/callback?code=x&state=forged", Client);
        var other = await SendAsync(context, "/auth/callback?code=x&state=forged", OtherClient);

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That((await WebTestContext.JsonOf(limited)).Value<string>("error"), Is.EqualTo("Too many requests"));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromHours(1)));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "another address has its own budget");
        Assert.That(context.Atlassian.CodeExchangeCount, Is.Zero);
    }

    [Test]
    public async Task Status_without_the_key_is_limited_but_a_bot_with_the_key_never_is()
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "3"));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await SendAsync(context, "/auth/status/1", Client);
        }

        var limited = await SendAsync(context, "/auth/status/1", Client);
        var statuses = new List<HttpStatusCode>();
        for (var user = 1; user <= 200; user++)
        {
            statuses.Add((await SendAsync(context, $"/auth/status/{user}", Client, RightKey)).StatusCode);
        }

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK), "authenticated calls are not counted by the public limiter");
    }

    [Test]
    public async Task The_default_limits_never_throttle_one_bot_server_calling_with_its_key_for_a_thousand_users()
    {
        await using var context = await StartAsync();
        var failures = 0;
        for (var user = 1; user <= 1000; user++)
        {
            var url = (user % 4) switch
            {
                0 => $"/auth/status/{user}",
                1 => $"/auth/token/{user}",
                2 => $"/auth/start?telegram_user_id={user}",
                _ => $"/auth/revoke/{user}",
            };
            var response = await SendAsync(context, url, Client, RightKey);
            failures += response.StatusCode is HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        Assert.That(failures, Is.Zero);
    }

    [Test]
    public async Task An_open_start_for_old_bots_is_limited_per_address_so_pending_states_stay_bounded()
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "2"), ("AUTH_START_REQUIRES_API_KEY", "false"));
        await SendAsync(context, "/auth/start?telegram_user_id=1", Client);
        await SendAsync(context, "/auth/start?telegram_user_id=2", Client);

        var third = await SendAsync(context, "/auth/start?telegram_user_id=3", Client);
        var withKey = await SendAsync(context, "/auth/start?telegram_user_id=4", Client, RightKey);

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Without_FORWARDED_HEADERS_a_forged_X_Forwarded_For_changes_nothing()
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "2"));
        await SendAsync(context, "/auth/status/1", PrivatePeer, forwardedFor: "198.51.100.1");
        await SendAsync(context, "/auth/status/1", PrivatePeer, forwardedFor: "198.51.100.2");

        var third = await SendAsync(context, "/auth/status/1", PrivatePeer, forwardedFor: "198.51.100.3");

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "every request counts against the peer");
    }

    [Test]
    public async Task With_FORWARDED_HEADERS_true_each_client_behind_a_local_proxy_has_its_own_budget()
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "2"), ("FORWARDED_HEADERS", "true"));
        await SendAsync(context, "/auth/status/1", LocalProxy, forwardedFor: "198.51.100.1");
        await SendAsync(context, "/auth/status/1", LocalProxy, forwardedFor: "198.51.100.1");

        var sameClient = await SendAsync(context, "/auth/status/1", LocalProxy, forwardedFor: "198.51.100.1");
        var nextClient = await SendAsync(context, "/auth/status/1", LocalProxy, forwardedFor: "198.51.100.2");
        var spoofedChain = await SendAsync(context, "/auth/status/1", LocalProxy, forwardedFor: "192.0.2.99, 198.51.100.1");

        Assert.That(sameClient.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(nextClient.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(spoofedChain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "only the hop the proxy added is believed");
    }

    [Test]
    public async Task With_FORWARDED_HEADERS_true_a_public_peer_cannot_pose_as_a_proxy()
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "2"), ("FORWARDED_HEADERS", "true"));
        await SendAsync(context, "/auth/status/1", Client, forwardedFor: "198.51.100.1");
        await SendAsync(context, "/auth/status/1", Client, forwardedFor: "198.51.100.2");

        var third = await SendAsync(context, "/auth/status/1", Client, forwardedFor: "198.51.100.3");

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [TestCase("10.1.2.3")]
    [TestCase("172.16.5.4")]
    [TestCase("192.168.1.20")]
    [TestCase("fd00::20")]
    public async Task With_FORWARDED_HEADERS_true_a_peer_in_a_private_network_is_seen_with_its_own_address(string peer)
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "2"), ("FORWARDED_HEADERS", "true"));
        using var log = new NLogCapture();
        await SendAsync(context, "/auth/callback?state=forged", peer, forwardedFor: "198.51.100.1");
        await SendAsync(context, "/auth/status/1", peer, forwardedFor: "198.51.100.2");
        await SendAsync(context, "/auth/status/1", peer, forwardedFor: "198.51.100.3");

        var third = await SendAsync(context, "/auth/status/1", peer, forwardedFor: "198.51.100.4");

        Assert.That(log.Lines, Has.One.Contains($"Rejected authorization state from {peer}: InvalidState"));
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a forged X-Forwarded-For does not buy a new budget");
    }

    [Test]
    public async Task A_listed_private_network_is_trusted_as_a_proxy_and_loopback_then_is_not()
    {
        await using var context = await StartAsync(("FORWARDED_HEADERS", "10.0.0.0/8"));
        using var log = new NLogCapture();

        await SendAsync(context, "/auth/callback?state=forged", PrivatePeer, forwardedFor: "198.51.100.77");
        await SendAsync(context, "/auth/callback?state=forged", LocalProxy, forwardedFor: "198.51.100.78");

        Assert.That(log.Lines, Has.One.Contains("Rejected authorization state from 198.51.100.77: InvalidState"));
        Assert.That(log.Lines, Has.One.Contains($"Rejected authorization state from {LocalProxy}: InvalidState"));
    }

    [Test]
    public async Task With_a_proxy_list_only_listed_proxies_are_believed_through_a_chain()
    {
        await using var context = await StartAsync(("RATE_LIMIT_STATUS", "1"), ("FORWARDED_HEADERS", "192.0.2.10, 192.0.2.128/25"));
        await SendAsync(context, "/auth/status/1", "192.0.2.10", forwardedFor: "198.51.100.1, 192.0.2.200");

        var sameClientThroughChain = await SendAsync(context, "/auth/status/1", "192.0.2.10", forwardedFor: "198.51.100.1, 192.0.2.130");
        var nextClient = await SendAsync(context, "/auth/status/1", "192.0.2.10", forwardedFor: "198.51.100.2, 192.0.2.130");
        await SendAsync(context, "/auth/status/1", PrivatePeer, forwardedFor: "198.51.100.3");
        var unlistedPeer = await SendAsync(context, "/auth/status/1", PrivatePeer, forwardedFor: "198.51.100.4");

        Assert.That(sameClientThroughChain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(nextClient.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(unlistedPeer.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "an unlisted peer's header is ignored");
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.10.0.1")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public async Task Rejections_are_logged_with_the_client_address_behind_a_proxy_on_loopback(string proxy)
    {
        await using var context = await StartAsync(("RATE_LIMIT_CALLBACK", "1"), ("FORWARDED_HEADERS", "true"));
        using var log = new NLogCapture();
        await SendAsync(context, "/auth/callback?state=forged", proxy, forwardedFor: "198.51.100.77");

        await SendAsync(context, "/auth/callback?state=forged", proxy, forwardedFor: "198.51.100.77");

        Assert.That(log.Lines, Has.One.Contains("Rejected authorization state from 198.51.100.77: InvalidState"));
        Assert.That(log.Lines, Has.One.Contains("Rate limit reached by 198.51.100.77 on auth/callback"));
    }

    private static Task<WebTestContext> StartAsync(params (string Name, string Value)[] settings) =>
        WebTestContext.StartAsync(settings.Append(("RATE_LIMIT_WINDOW", "1h")).ToDictionary(pair => pair.Item1, pair => (string?)pair.Item2));

    private static async Task<HttpResponseMessage> SendAsync(WebTestContext context, string url, string peer, string? authorization = null, string? forwardedFor = null)
    {
        using var request = TestRequest.Create(url, peer, authorization, forwardedFor);
        return await context.Browser.SendAsync(request);
    }
}
