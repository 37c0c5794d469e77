namespace JiraAuthServer.Core.Notifications;

public enum GrantEventKind
{
    /// <summary>The user completed an authorization and a grant was stored.</summary>
    Authorized,

    /// <summary>The grant was removed through <c>/auth/revoke</c>.</summary>
    Revoked,

    /// <summary>Atlassian declared the grant dead: the user must authorize again.</summary>
    ReauthorizationRequired,

    /// <summary>
    /// The grant reaches Atlassian's yearly limit soon (<c>REAUTH_NOTICE_BEFORE</c> ahead): the user should authorize
    /// again before it does. Sent once per consent.
    /// </summary>
    ReauthorizationDue,
}
