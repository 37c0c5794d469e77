namespace JiraAuthServer.Core.Tokens;

/// <summary>How a refresh attempt ended; logged and counted under these names.</summary>
public enum RefreshOutcome
{
    Refreshed,
    GrantRejected,
    Transient,
    Rejected,
    NoRefreshToken,

    /// <summary>This server's keys do not open the stored grant; it was left as it is.</summary>
    Unreadable,
    StoreFailed,

    /// <summary>The grant was revoked or authorized anew while Atlassian answered; the answer was not stored.</summary>
    Superseded,
}
