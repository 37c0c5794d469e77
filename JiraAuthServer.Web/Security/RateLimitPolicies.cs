namespace JiraAuthServer.Web.Security;

/// <summary>The names of the per-address limits on the public endpoints (<c>[EnableRateLimiting(...)]</c>).</summary>
public static class RateLimitPolicies
{
    /// <summary><c>/auth/callback</c>: <c>RATE_LIMIT_CALLBACK</c> per address.</summary>
    public const string Callback = "callback";

    /// <summary><c>/auth/status</c> and an open <c>/auth/start</c>: <c>RATE_LIMIT_STATUS</c> per address, unless the key is sent.</summary>
    public const string PublicApi = "public-api";
}
