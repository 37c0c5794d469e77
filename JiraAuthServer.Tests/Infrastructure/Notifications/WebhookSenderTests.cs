using System.Globalization;
using System.Net;
using JiraAuthServer.Infrastructure.Notifications;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JiraAuthServer.Tests.Infrastructure.Notifications;

/// <summary>How one try reads the bot's answer: the bot's <c>Retry-After</c> is what the dispatcher waits for.</summary>
public sealed class WebhookSenderTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task A_retry_after_in_seconds_is_passed_on()
    {
        var attempt = await SendAsync(Answer(HttpStatusCode.TooManyRequests, "7"));

        Assert.That(attempt, Is.EqualTo(new WebhookAttempt(false, true, "HTTP 429", TimeSpan.FromSeconds(7))));
    }

    [Test]
    public async Task A_retry_after_date_is_the_time_until_then_on_the_server_clock()
    {
        var until = time.GetUtcNow().AddMinutes(2).ToString("R", CultureInfo.InvariantCulture);

        var attempt = await SendAsync(Answer(HttpStatusCode.ServiceUnavailable, until));

        Assert.That(attempt.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(attempt.Retry, Is.True);
    }

    [Test]
    public async Task A_refusal_other_than_408_429_or_5xx_is_not_retried()
    {
        var attempt = await SendAsync(Answer(HttpStatusCode.BadRequest, retryAfter: null));

        Assert.That(attempt, Is.EqualTo(new WebhookAttempt(false, false, "HTTP 400")));
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string? retryAfter)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    private async Task<WebhookAttempt> SendAsync(HttpResponseMessage answer)
    {
        using var http = new HttpClient(new FixedAnswer(answer));
        var options = Options.Create(new WebhookOptions { Url = new Uri("http://bot.invalid/hook") });
        return await new WebhookSender(http, options, time).SendAsync("{}"u8.ToArray(), "sha256=00", CancellationToken.None);
    }

    private sealed class FixedAnswer(HttpResponseMessage answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer);
    }
}
