namespace JiraAuthServer.Core.Notifications;

public enum GrantEventKind
{
    /// <summary>The user completed an authorization and a grant was stored.</summary>
    Authorized,

    /// <summary>The grant was removed through <c>/auth/revoke</c>.</summary>
    Revoked,

    /// <summary>Atlassian declared the grant dead: the user must authorize again.</summary>
    ReauthorizationRequired,
}
