namespace JiraAuthServer.Core.Options;

/// <summary>The Atlassian OAuth app and where Atlassian lives. Bound from the old server's variable names.</summary>
public sealed class AtlassianOptions
{
    public const string DefaultScopes = "read:jira-work read:jira-user write:jira-work offline_access";

    /// <summary><c>JIRA_CLIENT_ID</c>.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary><c>JIRA_CLIENT_SECRET</c>.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary><c>JIRA_REDIRECT_URI</c>: must match the app's callback URL exactly.</summary>
    public string RedirectUri { get; set; } = string.Empty;

    /// <summary><c>JIRA_BASE_URL</c>: the authorization server (authorize and token endpoints).</summary>
    public string AuthBaseUrl { get; set; } = "https://auth.atlassian.com";

    /// <summary><c>ATLASSIAN_API_URL</c>: accessible-resources and Jira REST.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.atlassian.com";

    /// <summary><c>JIRA_SCOPES</c>: space-separated.</summary>
    public string Scopes { get; set; } = DefaultScopes;

    /// <summary><c>JIRA_SITE_URL</c>: when set, the site to connect; otherwise the first site with Jira scopes.</summary>
    public string? SiteUrl { get; set; }

    /// <summary><c>ATLASSIAN_TIMEOUT</c>: the most any single call to Atlassian may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
