namespace JiraAuthServer.Core.Tokens;

public enum TokenLookupStatus
{
    /// <summary>A working access token is available.</summary>
    Served,

    /// <summary>No grant is stored for the user.</summary>
    NotFound,

    /// <summary>Atlassian declared the grant dead (or it cannot be read): the user must authorize again.</summary>
    ReauthorizationRequired,

    /// <summary>The token has expired and Atlassian cannot be reached right now; the grant is intact.</summary>
    AtlassianUnavailable,

    /// <summary>The token store failed; nothing was changed.</summary>
    StoreUnavailable,
}
