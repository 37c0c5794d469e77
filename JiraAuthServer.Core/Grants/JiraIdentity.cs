namespace JiraAuthServer.Core.Grants;

/// <summary>The Jira user behind a grant. The email is absent when the user's privacy settings hide it.</summary>
public sealed record JiraIdentity(string AccountId, string? Email, string? DisplayName);
