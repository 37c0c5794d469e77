namespace JiraAuthServer.Tests.Fakes;

/// <summary>One entry of the fake's accessible-resources answer.</summary>
public sealed record FakeAtlassianSite(string Id, string Url, string Name, IReadOnlyList<string> Scopes)
{
    public const string DefaultCloudId = "11111111-2222-3333-4444-555555555555";

    public static IReadOnlyList<string> JiraScopes { get; } = ["read:jira-work", "read:jira-user", "write:jira-work"];

    public static FakeAtlassianSite Default { get; } = new(DefaultCloudId, "https://example.atlassian.net", "example", JiraScopes);

    public string AvatarUrl => $"https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/{Name}.png";
}
