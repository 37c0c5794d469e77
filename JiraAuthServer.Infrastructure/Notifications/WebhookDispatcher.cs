using JiraAuthServer.Core.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>
/// Sends queued events to the bot one after another (so the bot sees them in order), each with up to
/// <see cref="WebhookOptions.MaxAttempts"/> tries and exponential backoff. At a graceful stop, the event being sent and
/// those still queued get <see cref="WebhookOptions.ShutdownGrace"/> for one more try each; events left after that
/// (or lost in a crash) are logged, and the bot can always ask <c>/auth/status</c>.
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

        WebhookMessage? interrupted = null;
        try
        {
            await foreach (var grantEvent in outbox.Reader.ReadAllAsync(stoppingToken))
            {
                var message = WebhookMessage.For(grantEvent, settings.Secret);
                interrupted = message;
                try
                {
                    await DeliverAsync(message, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // An unexpected failure loses this event only: an exception leaving a hosted service stops the whole server.
                    LogFailed(exception, message.Name, grantEvent.TelegramUserId);
                }

                interrupted = null;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync(interrupted);
    }

    private async Task DeliverAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await SendAsync(message, cancellationToken);
            if (result.Delivered)
            {
                LogDelivered(message.Name, message.Event.TelegramUserId, attempt, result.Detail);
                return;
            }

            if (!result.Retry || attempt >= settings.MaxAttempts)
            {
                LogGaveUp(message.Name, message.Event.TelegramUserId, attempt, result.Detail);
                return;
            }

            var delay = settings.RetryDelay(attempt, result.RetryAfter);
            LogRetrying(message.Name, message.Event.TelegramUserId, attempt, result.Detail, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>The stop was asked for: one last try for what is left, within the grace, in order.</summary>
    private async Task DrainAsync(WebhookMessage? interrupted)
    {
        using var grace = new CancellationTokenSource(settings.ShutdownGrace, time);
        var undelivered = new List<long>();
        for (var message = interrupted ?? Dequeue(); message is not null; message = Dequeue())
        {
            if (grace.IsCancellationRequested || !await TryOnceAsync(message, grace.Token))
            {
                undelivered.Add(message.Event.TelegramUserId);
            }
        }

        if (undelivered.Count > 0)
        {
            LogUndeliveredAtStop(undelivered.Count, settings.ShutdownGrace.TotalSeconds, string.Join(", ", undelivered.Take(20)));
        }
    }

    private WebhookMessage? Dequeue() => outbox.Reader.TryRead(out var grantEvent) ? WebhookMessage.For(grantEvent, settings.Secret) : null;

    private async Task<bool> TryOnceAsync(WebhookMessage message, CancellationToken grace)
    {
        try
        {
            var result = await SendAsync(message, grace);
            if (result.Delivered)
            {
                LogDelivered(message.Name, message.Event.TelegramUserId, attempt: 1, result.Detail);
            }

            return result.Delivered;
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            // As in the main loop: one event lost, not the rest of the queue and the record of what was left.
            LogFailed(exception, message.Name, message.Event.TelegramUserId);
            return false;
        }
    }

    private async Task<WebhookAttempt> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<WebhookSender>().SendAsync(message.Body, message.Signature, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot webhook {Event} for user {TelegramUserId} delivered on try {Attempt} ({Detail})")]
    private partial void LogDelivered(string @event, long telegramUserId, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot webhook {Event} for user {TelegramUserId}: try {Attempt} failed ({Detail}); next try in {DelaySeconds:0.###} s")]
    private partial void LogRetrying(string @event, long telegramUserId, int attempt, string detail, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot webhook {Event} for user {TelegramUserId} not delivered: unexpected failure")]
    private partial void LogFailed(Exception exception, string @event, long telegramUserId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot webhook {Event} for user {TelegramUserId} not delivered after {Attempt} tries ({Detail})")]
    private partial void LogGaveUp(string @event, long telegramUserId, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} bot webhook events not delivered before the stop ({GraceSeconds:0.###} s grace), for users {TelegramUserIds}: the bot can ask /auth/status")]
    private partial void LogUndeliveredAtStop(int count, double graceSeconds, string telegramUserIds);
}
