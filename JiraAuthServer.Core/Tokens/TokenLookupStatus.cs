namespace JiraAuthServer.Core.Tokens;

public enum TokenLookupStatus
{
    /// <summary>A working access token is available.</summary>
    Served,

    /// <summary>No grant is stored for the user.</summary>
    NotFound,

    /// <summary>Atlassian declared the grant dead: the user must authorize again.</summary>
    ReauthorizationRequired,

    /// <summary>The token has expired and Atlassian cannot be reached right now; the grant is intact.</summary>
    AtlassianUnavailable,

    /// <summary>The token store failed; nothing was changed.</summary>
    StoreUnavailable,

    /// <summary>
    /// None of this server's keys opens the stored grant (a wrong <c>ENCRYPTION_KEY</c>, or an instance not yet given the
    /// new key); the grant was left as it is, for the instances that can read it.
    /// </summary>
    Unreadable,
}
