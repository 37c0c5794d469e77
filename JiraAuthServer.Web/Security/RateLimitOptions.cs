namespace JiraAuthServer.Web.Security;

/// <summary>Per-client-address limits; 0 turns a limit off. Requests carrying the right API key are never limited.</summary>
public sealed class RateLimitOptions
{
    /// <summary><c>RATE_LIMIT_WINDOW</c>: the window every limit below counts in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>RATE_LIMIT_KEY_FAILURES</c>: wrong API keys per address per window before its requests with a key get 429.</summary>
    public int KeyFailures { get; set; } = 10;

    /// <summary><c>RATE_LIMIT_CALLBACK</c>: <c>/auth/callback</c> requests per address per window.</summary>
    public int Callback { get; set; } = 30;

    /// <summary><c>RATE_LIMIT_STATUS</c>: <c>/auth/status</c> (and an open <c>/auth/start</c>) requests without the key per address per window.</summary>
    public int Status { get; set; } = 60;
}
