namespace JiraAuthServer.Core.Grants;

/// <summary>Whether a stored grant still works, as operators see it in the list of connected users.</summary>
public enum GrantStatus
{
    /// <summary>The grant hands out tokens.</summary>
    Connected,

    /// <summary>Atlassian declared the grant dead; the record is kept until the user authorizes again.</summary>
    ReauthorizationRequired,
}
