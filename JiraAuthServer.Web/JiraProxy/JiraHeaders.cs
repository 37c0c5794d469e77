using System.Collections.Frozen;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// The headers that pass through <c>/jira/...</c>, each way; every other one stays behind. The bot's Authorization
/// (the server's key) and cookies never reach Jira, Jira's cookies and tracing headers never reach the bot.
/// </summary>
public static class JiraHeaders
{
    /// <summary>From the bot to Jira; the server adds <c>Authorization: Bearer &lt;the user's access token&gt;</c>.</summary>
    public static readonly FrozenSet<string> Request = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Content-Type", "Content-Length", "Accept", "Accept-Language", "X-Atlassian-Token", "If-Match");

    /// <summary>From Jira to the bot: the body's type and length, where a created thing lives, and Atlassian's rate limiting.</summary>
    public static readonly FrozenSet<string> Response = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Content-Type", "Content-Length", "Location", "Retry-After",
        "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-NearLimit", "RateLimit-Reason");

    /// <summary>Headers of the body rather than of the message, in .NET's <see cref="HttpContent"/>.</summary>
    public static bool IsContentHeader(string name) =>
        name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase);
}
