namespace JiraAuthServer.Core.Notifications;

/// <summary>A change to one user's grant that the bot may want to act on.</summary>
public sealed record GrantEvent(GrantEventKind Kind, long TelegramUserId, string? JiraAccountId, DateTimeOffset OccurredAt);
