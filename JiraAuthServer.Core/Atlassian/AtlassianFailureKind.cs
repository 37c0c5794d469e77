namespace JiraAuthServer.Core.Atlassian;

public enum AtlassianFailureKind
{
    /// <summary>Atlassian says the grant or code is dead (invalid_grant, unauthorized_client): the user must authorize again.</summary>
    GrantRejected,

    /// <summary>Network error, timeout, 5xx or 429: nothing is wrong with the grant; try again later.</summary>
    Transient,

    /// <summary>Any other refusal (wrong client credentials, unexpected answer): a configuration problem.</summary>
    Rejected,
}
