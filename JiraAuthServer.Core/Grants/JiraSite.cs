namespace JiraAuthServer.Core.Grants;

/// <summary>One entry of Atlassian's accessible-resources answer.</summary>
public sealed record JiraSite(string CloudId, string Url, string Name, IReadOnlyList<string> Scopes)
{
    public bool HasJiraScopes => Scopes.Any(scope => scope.Contains("jira", StringComparison.OrdinalIgnoreCase));
}
