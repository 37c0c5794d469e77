namespace JiraAuthServer.Core.Options;

/// <summary>When tokens are refreshed and how long an authorization link stays usable.</summary>
public sealed class TokenPolicyOptions
{
    /// <summary><c>TOKEN_REFRESH_MARGIN</c>: a token with less time left than this is refreshed before it is handed out.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>AUTH_STATE_TTL</c>: how long a link from <c>/auth/start</c> can be completed.</summary>
    public TimeSpan AuthStateTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long to wait before trying a refresh again after Atlassian failed transiently without saying; doubles with
    /// each failure in a row, up to <see cref="LongestBackoff"/>. Short, because requests with an expired token get 503
    /// until it has passed: one failed request must not lock the user out once Atlassian is back.
    /// </summary>
    public TimeSpan TransientFailureBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait after a failure, also for a larger <c>Retry-After</c> (or a date far ahead).</summary>
    public TimeSpan LongestBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a transient failure the refresher keeps retrying on its own. It stays inside Atlassian's
    /// 10-minute reuse leeway: a request that timed out may have rotated the refresh token the store still holds.
    /// </summary>
    public TimeSpan FollowUpWindow { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>
    /// How long a graceful stop waits for refreshes in flight and for refreshed grants the store has not taken yet,
    /// before the store is closed.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);
}
