using JiraAuthServer.Web.Security;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// Audit lines for what the bot does with its key: a token handed out and a grant revoked, each with the caller's
/// address. (Authorization, refresh, rejected key and rejected state lines are written where those happen.)
/// </summary>
/// <remarks>
/// The caller's address is worked out only when the line is written. (It is a local because CA1873 does not see an
/// IsEnabled guard around a call's arguments.)
/// </remarks>
public sealed partial class SecurityAudit(ILogger<SecurityAudit> logger)
{
    public void TokenHandedOut(long telegramUserId, HttpContext caller, DateTimeOffset expiresAt)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var address = ClientAddress.Of(caller);
            LogTokenHandedOut(logger, telegramUserId, address, expiresAt);
        }
    }

    public void Revoked(long telegramUserId, HttpContext caller, bool hadGrant)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var address = ClientAddress.Of(caller);
            LogRevoke(logger, telegramUserId, address, hadGrant ? "grant deleted" : "no grant");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token handed out for user {TelegramUserId} to {ClientAddress}, valid until {ExpiresAt:O}")]
    private static partial void LogTokenHandedOut(ILogger logger, long telegramUserId, string clientAddress, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoke for user {TelegramUserId} by {ClientAddress}: {Outcome}")]
    private static partial void LogRevoke(ILogger logger, long telegramUserId, string clientAddress, string outcome);
}
