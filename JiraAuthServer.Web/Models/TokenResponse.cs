using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

/// <summary>The old server's token body, plus the connected site so the bot needs no call of its own.</summary>
public sealed record TokenResponse
{
    [JsonProperty("access_token")]
    public required string AccessToken { get; init; }

    [JsonProperty("jira_account_id")]
    public string? JiraAccountId { get; init; }

    [JsonProperty("jira_email")]
    public string? JiraEmail { get; init; }

    [JsonProperty("jira_cloud_id")]
    public string? JiraCloudId { get; init; }

    [JsonProperty("expires_at")]
    public required string ExpiresAt { get; init; }

    [JsonProperty("jira_site_url")]
    public string? JiraSiteUrl { get; init; }

    [JsonProperty("jira_site_name")]
    public string? JiraSiteName { get; init; }

    /// <summary>When the user must authorize again at the latest (the consent plus 365 days); null when unknown.</summary>
    [JsonProperty("reauthorization_due_at")]
    public string? ReauthorizationDueAt { get; init; }
}
