using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Users;
using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

/// <summary>One user of <c>/auth/users</c>: who they are at Jira and how their grant stands; never a token.</summary>
public sealed record ConnectedUserResponse
{
    [JsonProperty("telegram_user_id")]
    public required long TelegramUserId { get; init; }

    /// <summary><c>connected</c> or <c>reauthorization_required</c>.</summary>
    [JsonProperty("status")]
    public required string Status { get; init; }

    [JsonProperty("jira_account_id")]
    public string? JiraAccountId { get; init; }

    [JsonProperty("jira_email")]
    public string? JiraEmail { get; init; }

    [JsonProperty("jira_site_url")]
    public string? JiraSiteUrl { get; init; }

    [JsonProperty("scope")]
    public required string Scope { get; init; }

    /// <summary>When the stored access token expires (the server refreshes it when asked).</summary>
    [JsonProperty("expires_at")]
    public required string ExpiresAt { get; init; }

    [JsonProperty("updated_at")]
    public string? UpdatedAt { get; init; }

    /// <summary>The consent the grant lives on (<c>created_at</c> for records from before it was kept); null when unknown.</summary>
    [JsonProperty("consented_at")]
    public string? ConsentedAt { get; init; }

    [JsonProperty("reauthorization_due_at")]
    public string? ReauthorizationDueAt { get; init; }

    public static ConnectedUserResponse From(long telegramUserId, StoredGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return new ConnectedUserResponse
        {
            TelegramUserId = telegramUserId,
            Status = GrantStatusNames.Name(grant.Status),
            JiraAccountId = grant.JiraAccountId,
            JiraEmail = grant.JiraEmail,
            JiraSiteUrl = grant.JiraSiteUrl,
            Scope = grant.Scope,
            ExpiresAt = IsoTime.Format(grant.ExpiresAt),
            UpdatedAt = Format(grant.UpdatedAt),
            ConsentedAt = Format(grant.EffectiveConsentAt),
            ReauthorizationDueAt = Format(grant.ReauthorizationDueAt),
        };
    }

    private static string? Format(DateTimeOffset? time) => time is { } value ? IsoTime.Format(value) : null;
}
