namespace JiraAuthServer.Core.Authorization;

/// <summary>An issued, not yet used authorization state and the Telegram user it was issued for.</summary>
public sealed record PendingAuthorization(string State, long TelegramUserId, DateTimeOffset ExpiresAt);
