using JiraAuthServer.Core.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>
/// Sends queued events to the bot one after another (so the bot sees them in order), each with up to
/// <see cref="WebhookOptions.MaxAttempts"/> tries and exponential backoff. Events still queued at shutdown are lost;
/// the bot can always ask <c>/auth/status</c>.
/// </summary>
public sealed partial class WebhookDispatcher(
    WebhookOutbox outbox,
    IServiceScopeFactory scopes,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly WebhookOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Url is null)
        {
            return;
        }

        try
        {
            await foreach (var grantEvent in outbox.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await DeliverAsync(grantEvent, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // An unexpected failure loses this event only: an exception leaving a hosted service stops the whole server.
                    LogFailed(exception, WebhookPayload.EventName(grantEvent.Kind), grantEvent.TelegramUserId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task DeliverAsync(GrantEvent grantEvent, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Serialize(grantEvent, Guid.NewGuid().ToString("N"));
        var signature = WebhookSignature.Sign(body, settings.Secret);
        var name = WebhookPayload.EventName(grantEvent.Kind);
        for (var attempt = 1; ; attempt++)
        {
            WebhookAttempt result;
            using (var scope = scopes.CreateScope())
            {
                result = await scope.ServiceProvider.GetRequiredService<WebhookSender>().SendAsync(body, signature, cancellationToken);
            }

            if (result.Delivered)
            {
                LogDelivered(name, grantEvent.TelegramUserId, attempt, result.Detail);
                return;
            }

            if (!result.Retry || attempt >= settings.MaxAttempts)
            {
                LogGaveUp(name, grantEvent.TelegramUserId, attempt, result.Detail);
                return;
            }

            var delay = settings.RetryDelay(attempt, result.RetryAfter);
            LogRetrying(name, grantEvent.TelegramUserId, attempt, result.Detail, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot webhook {Event} for user {TelegramUserId} delivered on try {Attempt} ({Detail})")]
    private partial void LogDelivered(string @event, long telegramUserId, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot webhook {Event} for user {TelegramUserId}: try {Attempt} failed ({Detail}); next try in {DelaySeconds:0.###} s")]
    private partial void LogRetrying(string @event, long telegramUserId, int attempt, string detail, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot webhook {Event} for user {TelegramUserId} not delivered: unexpected failure")]
    private partial void LogFailed(Exception exception, string @event, long telegramUserId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot webhook {Event} for user {TelegramUserId} not delivered after {Attempt} tries ({Detail})")]
    private partial void LogGaveUp(string @event, long telegramUserId, int attempt, string detail);
}
