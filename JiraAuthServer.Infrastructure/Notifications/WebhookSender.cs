using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>One signed POST to the bot's webhook over a typed <see cref="HttpClient"/>.</summary>
public sealed class WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly WebhookOptions settings = options.Value;

    public async Task<WebhookAttempt> SendAsync(byte[] body, string signature, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(WebhookSignature.HeaderName, signature);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var retry = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return new WebhookAttempt(response.IsSuccessStatusCode, retry, $"HTTP {status}", RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(false, true, $"no answer within {settings.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException exception)
        {
            return new WebhookAttempt(false, true, $"unreachable ({exception.HttpRequestError})");
        }
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };
}
