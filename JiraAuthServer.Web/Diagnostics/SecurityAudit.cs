using JiraAuthServer.Web.Security;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// The audit line of a grant revoked, with the caller's address. (A token handed out is the request's own line, see
/// <see cref="RequestOutcomeLogging"/>; authorization, refresh, rejected key and rejected state lines are written where
/// those happen.)
/// </summary>
/// <remarks>
/// The caller's address is worked out only when the line is written. (It is a local because CA1873 does not see an
/// IsEnabled guard around a call's arguments.)
/// </remarks>
public sealed partial class SecurityAudit(ILogger<SecurityAudit> logger)
{
    public void Revoked(long telegramUserId, HttpContext caller, bool hadGrant)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var address = ClientAddress.Of(caller);
            LogRevoke(logger, telegramUserId, address, hadGrant ? "grant deleted" : "no grant");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoke for user {TelegramUserId} by {ClientAddress}: {Outcome}")]
    private static partial void LogRevoke(ILogger logger, long telegramUserId, string clientAddress, string outcome);
}
