using JiraAuthServer.Core.Notifications;
using JiraAuthServer.Infrastructure.Notifications;
using JiraAuthServer.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Tests.Infrastructure.Notifications;

/// <summary>Grant events sent to a real loopback receiver: body, signature, retries and what is never retried.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly DateTimeOffset OccurredAt = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private FakeBotWebhook bot = null!;

    [SetUp]
    public async Task SetUp() => bot = await FakeBotWebhook.StartAsync();

    [TearDown]
    public async Task TearDown() => await bot.DisposeAsync();

    [TestCase(GrantEventKind.Authorized, "authorized")]
    [TestCase(GrantEventKind.Revoked, "revoked")]
    [TestCase(GrantEventKind.ReauthorizationRequired, "reauthorization_required")]
    public async Task An_event_is_posted_as_signed_JSON(GrantEventKind kind, string name)
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot));

        host.Events.Raise(new GrantEvent(kind, 123456789, "acc-1", OccurredAt));

        var call = (await bot.WaitForCallsAsync(1)).Single();
        var json = call.Json;
        Assert.That(json.Value<string>("event"), Is.EqualTo(name));
        Assert.That(json["telegram_user_id"]!.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Integer));
        Assert.That(json.Value<long>("telegram_user_id"), Is.EqualTo(123456789));
        Assert.That(json.Value<string>("jira_account_id"), Is.EqualTo("acc-1"));
        Assert.That(json.Value<string>("occurred_at"), Is.EqualTo("2026-03-01T09:30:00+00:00"));
        Assert.That(json.Value<string>("event_id"), Has.Length.EqualTo(32));
        Assert.That(json.ContainsKey("reauthorization_due_at"), Is.False, "only the reauthorization_due event carries it");
        Assert.That(call.Signature, Does.Match("^sha256=[0-9a-f]{64}$"));
        Assert.That(call.IsSignedWith("webhook-secret"), Is.True);
        Assert.That(call.IsSignedWith("api-key"), Is.False);
        Assert.That(call.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(call.UserAgent, Does.StartWith("JiraAuthServer-Webhook"));
    }

    [Test]
    public async Task The_reauthorization_due_event_says_when_the_grant_ends()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot));
        var dueAt = OccurredAt.AddDays(14).AddTicks(1234560);

        Assert.That(host.Events.Raise(new GrantEvent(GrantEventKind.ReauthorizationDue, 123456789, "acc-1", OccurredAt, dueAt)), Is.True);

        var call = (await bot.WaitForCallsAsync(1)).Single();
        Assert.That(call.Json.Value<string>("event"), Is.EqualTo("reauthorization_due"));
        Assert.That(call.Json.Value<long>("telegram_user_id"), Is.EqualTo(123456789));
        Assert.That(call.Json.Value<string>("jira_account_id"), Is.EqualTo("acc-1"));
        Assert.That(call.Json.Value<string>("reauthorization_due_at"), Is.EqualTo("2026-03-15T09:30:00.123456+00:00"));
        Assert.That(call.IsSignedWith("webhook-secret"), Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    public async Task Without_a_webhook_secret_the_API_key_signs(string? secret)
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot, secret));

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));

        Assert.That((await bot.WaitForCallsAsync(1)).Single().IsSignedWith("api-key"), Is.True);
    }

    [Test]
    public async Task A_missing_account_id_is_sent_as_null()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot));

        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 5, null, OccurredAt));

        var json = (await bot.WaitForCallsAsync(1)).Single().Json;
        Assert.That(json["jira_account_id"]!.Type, Is.EqualTo(Newtonsoft.Json.Linq.JTokenType.Null));
    }

    [TestCase(500)]
    [TestCase(503)]
    [TestCase(429)]
    [TestCase(408)]
    public async Task Failed_tries_are_repeated_with_the_same_body_and_signature_until_one_succeeds(int failure)
    {
        bot.AnswerNext(failure, failure);
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot));

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));

        var calls = await bot.WaitForCallsAsync(3);
        await WaitForLogAsync(host, "delivered on try 3");
        Assert.That(calls.Select(call => Convert.ToBase64String(call.Body)).Distinct().Count(), Is.EqualTo(1), "the same bytes every time");
        Assert.That(calls.Select(call => call.Signature).Distinct().Count(), Is.EqualTo(1));
        Assert.That(calls.All(call => call.IsSignedWith("webhook-secret")), Is.True);
        Assert.That(host.Logs.Lines.Count(line => line.Contains("next try in", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task After_the_last_try_the_event_is_given_up_and_logged()
    {
        bot.AnswerNext(500, 500, 500, 500);
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot), options => options.MaxAttempts = 3);

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));
        await WaitForLogAsync(host, "not delivered after 3 tries (HTTP 500)");

        Assert.That(bot.Calls, Has.Count.EqualTo(3));
    }

    [TestCase(400)]
    [TestCase(401)]
    [TestCase(404)]
    public async Task A_refusal_is_not_repeated(int status)
    {
        bot.AnswerNext(status);
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot));

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));
        await WaitForLogAsync(host, $"not delivered after 1 tries (HTTP {status})");
        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 5, "acc-1", OccurredAt));
        await bot.WaitForCallsAsync(2);

        Assert.That(bot.Calls.Select(call => call.Json.Value<string>("event")), Is.EqualTo(new[] { "authorized", "revoked" }));
    }

    [Test]
    public async Task A_bot_that_does_not_answer_in_time_is_tried_again()
    {
        bot.Hold();
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot), options => options.AttemptTimeout = TimeSpan.FromMilliseconds(300));

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));
        await bot.WaitForCallsAsync(2);
        bot.Release();

        await WaitForLogAsync(host, "no answer within 0.3 s");
    }

    [Test]
    public async Task An_unreachable_bot_is_tried_again_and_then_given_up()
    {
        var closedPort = Support.ServerProcess.FreePort();
        var settings = WebhookTestHost.Settings(bot);
        settings["BOT_WEBHOOK_URL"] = $"http://127.0.0.1:{closedPort}/hook";
        await using var host = await WebhookTestHost.StartAsync(settings, options => options.MaxAttempts = 2);

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));

        await WaitForLogAsync(host, "not delivered after 2 tries (unreachable");
    }

    [Test]
    public async Task An_unexpected_failure_loses_that_event_only_and_the_dispatcher_keeps_running()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot), options => options.Url = new Uri("relative/hook", UriKind.Relative));

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));
        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 6, "acc-1", OccurredAt));

        await WaitForLogAsync(host, "Bot webhook revoked for user 6 not delivered: unexpected failure");
        Assert.That(host.Logs.Lines.Count(line => line.Contains("unexpected failure", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task A_graceful_stop_sends_the_event_waiting_for_a_retry_and_those_queued_behind_it()
    {
        bot.AnswerNext(503);
        var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot), options => options.FirstRetryDelay = TimeSpan.FromMinutes(1));
        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 1, "acc-1", OccurredAt));
        await bot.WaitForCallsAsync(1);
        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 2, "acc-2", OccurredAt));
        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 3, "acc-3", OccurredAt));

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.DisposeAsync();

        var calls = bot.Calls;
        Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the stop did not sit out the minute's backoff");
        Assert.That(calls.Select(call => call.Json.Value<long>("telegram_user_id")), Is.EqualTo(new long[] { 1, 1, 2, 3 }), "in order");
        Assert.That(calls[1].Json.Value<string>("event_id"), Is.EqualTo(calls[0].Json.Value<string>("event_id")), "the same event again, so the bot can drop a repeat");
        Assert.That(bot.Answered, Is.EqualTo(4));
        Assert.That(host.Logs.Lines, Has.None.Contains("not delivered"));
    }

    [Test]
    public async Task Events_the_bot_does_not_take_within_the_stop_grace_are_logged_as_not_delivered()
    {
        bot.Hold();
        var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot), options => options.ShutdownGrace = TimeSpan.FromMilliseconds(500));
        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 7, "acc-7", OccurredAt));
        await bot.WaitForCallsAsync(1);
        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 8, "acc-8", OccurredAt));

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.DisposeAsync();

        Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "bounded by the grace, not by the bot");
        Assert.That(host.Logs.Lines, Has.Exactly(1).Contains("2 bot webhook events not delivered before the stop (0.5 s grace), for users 7, 8"));
        bot.Release();
    }

    [Test]
    public async Task An_unexpected_failure_during_the_stop_loses_that_event_only_and_what_is_left_is_still_logged()
    {
        bot.Hold();
        WebhookOptions settings = null!;
        var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot), options => settings = options);
        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 7, "acc-7", OccurredAt));
        await bot.WaitForCallsAsync(1);
        host.Events.Raise(new GrantEvent(GrantEventKind.Revoked, 8, "acc-8", OccurredAt));
        settings.Url = new Uri("relative/hook", UriKind.Relative);

        await host.DisposeAsync();

        Assert.That(host.Logs.Lines.Count(line => line.Contains("not delivered: unexpected failure", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(host.Logs.Lines, Has.Exactly(1).Contains("2 bot webhook events not delivered before the stop (5 s grace), for users 7, 8"));
        bot.Release();
    }

    [Test]
    public async Task Events_arrive_in_the_order_they_were_raised()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookTestHost.Settings(bot));

        for (var user = 1; user <= 20; user++)
        {
            host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, user, "acc", OccurredAt));
        }

        var calls = await bot.WaitForCallsAsync(20);
        Assert.That(calls.Select(call => call.Json.Value<long>("telegram_user_id")), Is.EqualTo(Enumerable.Range(1, 20).Select(user => (long)user)));
        Assert.That(calls.Select(call => call.Json.Value<string>("event_id")).Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public async Task Without_a_webhook_URL_nothing_is_queued_or_sent()
    {
        var settings = WebhookTestHost.Settings(bot);
        settings.Remove("BOT_WEBHOOK_URL");
        await using var host = await WebhookTestHost.StartAsync(settings, options => options.QueueCapacity = 1);

        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 5, "acc-1", OccurredAt));
        host.Events.Raise(new GrantEvent(GrantEventKind.Authorized, 6, "acc-1", OccurredAt));

        Assert.That(host.Logs.Lines, Has.None.Contains("dropped"), "nothing queued, so nothing overflows");
        Assert.That(bot.Calls, Is.Empty);
    }

    [Test]
    public void Raising_never_waits_when_the_outbox_is_full_it_drops_and_says_so()
    {
        var logs = new RecordingLogger<WebhookOutbox>();
        var outbox = new WebhookOutbox(Options.Create(new WebhookOptions { Url = bot.Url, QueueCapacity = 2 }), logs);

        for (var user = 1; user <= 3; user++)
        {
            outbox.Raise(new GrantEvent(GrantEventKind.Authorized, user, "acc", OccurredAt));
        }

        Assert.That(logs.Lines, Has.Exactly(1).Contains("queue is full: Authorized event for user 3 dropped"));
        Assert.That(outbox.Reader.Count, Is.EqualTo(2));
    }

    [TestCase(1, null, 1000)]
    [TestCase(2, null, 2000)]
    [TestCase(4, null, 8000)]
    [TestCase(7, null, 60000)]
    [TestCase(40, null, 60000)]
    [TestCase(1, 5000, 5000)]
    [TestCase(1, 600000, 60000)]
    [TestCase(3, 100, 4000)]
    public void The_wait_doubles_per_try_respects_Retry_After_and_is_capped(int attempt, int? retryAfterMs, int expectedMs)
    {
        var options = new WebhookOptions();

        var delay = options.RetryDelay(attempt, retryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        Assert.That(delay, Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [Test]
    public void The_signature_is_the_hex_HMAC_SHA256_of_the_body()
    {
        // Reference value from Python: hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", hashlib.sha256).hexdigest()
        var signature = WebhookSignature.Sign("The quick brown fox jumps over the lazy dog"u8, "key");

        Assert.That(signature, Is.EqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"));
    }

    [Test]
    public void The_body_has_exactly_the_documented_fields()
    {
        var body = WebhookPayload.Serialize(new GrantEvent(GrantEventKind.ReauthorizationRequired, 42, "acc-9", OccurredAt.AddTicks(1234560)), "e1");

        Assert.That(System.Text.Encoding.UTF8.GetString(body), Is.EqualTo(
            "{\"event\":\"reauthorization_required\",\"telegram_user_id\":42,\"jira_account_id\":\"acc-9\",\"occurred_at\":\"2026-03-01T09:30:00.123456+00:00\",\"event_id\":\"e1\"}"));
    }

    private static async Task WaitForLogAsync(WebhookTestHost host, string words)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!host.Logs.Lines.Any(line => line.Contains(words, StringComparison.Ordinal)))
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"no log line with \"{words}\" in:\n{string.Join('\n', host.Logs.Lines)}");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
