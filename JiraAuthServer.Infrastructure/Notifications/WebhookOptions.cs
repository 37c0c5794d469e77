namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>Where and how grant events are sent to the bot.</summary>
public sealed class WebhookOptions
{
    /// <summary><c>BOT_WEBHOOK_URL</c>; null sends nothing.</summary>
    public Uri? Url { get; set; }

    /// <summary><c>WEBHOOK_SECRET</c>, else <c>INTERNAL_API_KEY</c>: the HMAC key of <c>X-Signature</c>.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Events waiting to be sent; past this, new events are dropped (and logged) rather than held in memory.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Tries per event, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the second try; it doubles for each further try.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two tries, also for a bot's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one try may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At a graceful stop, how long the event being sent and those still queued get to reach the bot (one try each,
    /// no backoff); whatever is left is logged as not delivered.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after failed try number <paramref name="attempt"/> (1-based), before the next one.</summary>
    public TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var backoff = FirstRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        var wait = retryAfter is { } asked && asked > backoff ? asked : backoff;
        return wait < MaxRetryDelay ? wait : MaxRetryDelay;
    }
}
