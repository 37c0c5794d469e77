namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>How one try to deliver an event ended.</summary>
/// <param name="Delivered">The bot answered 2xx.</param>
/// <param name="Retry">Worth another try (network error, timeout, 408, 429, 5xx).</param>
/// <param name="Detail">For the log: the status or the failure, never the secret or the URL.</param>
/// <param name="RetryAfter">The bot's <c>Retry-After</c>, if it sent one.</param>
public sealed record WebhookAttempt(bool Delivered, bool Retry, string Detail, TimeSpan? RetryAfter = null);
