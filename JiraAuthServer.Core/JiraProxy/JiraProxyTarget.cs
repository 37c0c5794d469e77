namespace JiraAuthServer.Core.JiraProxy;

/// <summary>
/// Where a <c>/jira/{telegram_user_id}/{path}</c> request goes: the user, the Jira REST path exactly as sent
/// (percent-encoding kept, starting with <c>rest/</c>) and the query string as sent (with its <c>?</c>, or empty).
/// </summary>
public sealed record JiraProxyTarget(long TelegramUserId, string Path, string Query)
{
    /// <summary>The Jira URL of this request: <c>{apiBaseUrl}/ex/jira/{cloudId}/{Path}{Query}</c>.</summary>
    public string JiraUrl(string apiBaseUrl, string cloudId) =>
        $"{apiBaseUrl.TrimEnd('/')}/ex/jira/{Uri.EscapeDataString(cloudId)}/{Path}{Query}";
}
