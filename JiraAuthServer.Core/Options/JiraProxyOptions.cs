namespace JiraAuthServer.Core.Options;

/// <summary>Calls to Jira made on a user's behalf through <c>/jira/{telegram_user_id}/{path}</c>.</summary>
public sealed class JiraProxyOptions
{
    /// <summary>
    /// <c>JIRA_PROXY_TIMEOUT</c>: the longest Jira may stay silent, waiting for its answer or between two reads or
    /// writes of a body (an idle limit, so a large attachment that keeps moving is not cut off).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A request body up to this size (by its Content-Length) is kept in memory, so the call can be sent again after a
    /// refresh when Jira answers 401; a larger one, or one without a length, is streamed and not sent again.
    /// </summary>
    public long ReplayableBodyBytes { get; set; } = 64 * 1024;
}
