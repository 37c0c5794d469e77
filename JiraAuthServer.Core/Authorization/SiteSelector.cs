using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Authorization;

/// <summary>
/// Picks the Jira site to bind: the configured one when <c>JIRA_SITE_URL</c> is set, else the first with Jira scopes.
/// Accessible-resources may list the same cloud id for several products, so scopes decide, not position.
/// </summary>
public static class SiteSelector
{
    public static JiraSite? Select(IReadOnlyList<JiraSite> sites, string? configuredSiteUrl)
    {
        var jiraSites = sites.Where(site => site.HasJiraScopes).ToList();
        if (string.IsNullOrWhiteSpace(configuredSiteUrl))
        {
            return jiraSites.FirstOrDefault();
        }

        var wanted = Normalize(configuredSiteUrl);
        return jiraSites.FirstOrDefault(site => Normalize(site.Url) == wanted);
    }

    private static string Normalize(string url) => url.Trim().TrimEnd('/').ToUpperInvariant();
}
