namespace JiraAuthServer.Tests.Fakes;

/// <summary>An Atlassian account as the fake's myself endpoint shows it. A null email models one hidden by privacy settings.</summary>
public sealed record FakeJiraUser(string AccountId, string? EmailAddress, string DisplayName)
{
    public static FakeJiraUser Default { get; } = new("557058:0a1b2c3d-default-user", "jira.user@example.com", "Jira User");
}
