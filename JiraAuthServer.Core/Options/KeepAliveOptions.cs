namespace JiraAuthServer.Core.Options;

/// <summary>
/// Refreshing grants nobody used for a while: Atlassian drops a grant whose refresh token went unused for 90 days,
/// and the user would have to authorize again.
/// </summary>
public sealed class KeepAliveOptions
{
    /// <summary><c>KEEPALIVE_AFTER</c>: a grant not refreshed for this long is refreshed by the next pass.</summary>
    public TimeSpan After { get; set; } = TimeSpan.FromDays(30);

    /// <summary><c>KEEPALIVE_RATE</c>: the most refreshes per second a pass makes, so a large store is spread out.</summary>
    public double RefreshesPerSecond { get; set; } = 0.5;

    /// <summary><c>KEEPALIVE_INTERVAL</c>: the time from the end of one pass to the start of the next.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// <c>REAUTH_NOTICE_BEFORE</c>: how long before a grant's yearly end the bot is told (once per consent) that the
    /// user should authorize again.
    /// </summary>
    public TimeSpan ReauthorizationNoticeBefore { get; set; } = TimeSpan.FromDays(14);
}
