namespace JiraAuthServer.Core.Authorization;

public sealed record AuthorizationLink(string AuthUrl, long TelegramUserId, string State, DateTimeOffset ExpiresAt);
