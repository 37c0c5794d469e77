namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// Audit lines for what the bot does with its key: a token handed out and a grant revoked, each with the caller's
/// address. (Authorization, refresh, rejected key and rejected state lines are written where those happen.)
/// </summary>
public sealed partial class SecurityAudit(ILogger<SecurityAudit> logger)
{
    public void TokenHandedOut(long telegramUserId, string clientAddress, DateTimeOffset expiresAt) =>
        LogTokenHandedOut(telegramUserId, clientAddress, expiresAt);

    public void Revoked(long telegramUserId, string clientAddress, bool hadGrant) =>
        LogRevoke(telegramUserId, clientAddress, hadGrant ? "grant deleted" : "no grant");

    [LoggerMessage(Level = LogLevel.Information, Message = "Token handed out for user {TelegramUserId} to {ClientAddress}, valid until {ExpiresAt:O}")]
    private partial void LogTokenHandedOut(long telegramUserId, string clientAddress, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoke for user {TelegramUserId} by {ClientAddress}: {Outcome}")]
    private partial void LogRevoke(long telegramUserId, string clientAddress, string outcome);
}
