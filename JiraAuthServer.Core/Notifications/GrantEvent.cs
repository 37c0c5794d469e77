namespace JiraAuthServer.Core.Notifications;

/// <summary>A change to one user's grant that the bot may want to act on.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="TelegramUserId">To whom.</param>
/// <param name="JiraAccountId">Their Jira account, when known.</param>
/// <param name="OccurredAt">When.</param>
/// <param name="ReauthorizationDueAt">For <see cref="GrantEventKind.ReauthorizationDue"/>: when the grant ends.</param>
public sealed record GrantEvent(GrantEventKind Kind, long TelegramUserId, string? JiraAccountId, DateTimeOffset OccurredAt, DateTimeOffset? ReauthorizationDueAt = null);
