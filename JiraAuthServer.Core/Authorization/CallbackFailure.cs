namespace JiraAuthServer.Core.Authorization;

/// <summary>Why a callback did not connect an account; each has its own words on the failure page.</summary>
public enum CallbackFailure
{
    /// <summary>The user pressed "Decline" at Atlassian (<c>error=access_denied</c>).</summary>
    Declined,

    /// <summary>Atlassian returned some other <c>error</c>.</summary>
    AtlassianError,

    /// <summary>No <c>code</c> in the callback.</summary>
    MissingCode,

    /// <summary>No <c>state</c>, or one this server never issued.</summary>
    InvalidState,

    /// <summary>The state was issued but has expired or was already used.</summary>
    StateExpiredOrUsed,

    /// <summary>Atlassian refused the code (expired or already exchanged).</summary>
    CodeRejected,

    /// <summary>Atlassian failed or could not be reached.</summary>
    AtlassianUnavailable,

    /// <summary>The Atlassian account reaches no Jira site.</summary>
    NoJiraSite,

    /// <summary><c>JIRA_SITE_URL</c> is set and the account cannot reach that site.</summary>
    SiteNotAccessible,

    /// <summary>The grant could not be stored (disk or database unavailable); nothing was stored.</summary>
    StoreUnavailable,
}
