namespace JiraAuthServer.Core.Options;

/// <summary>When tokens are refreshed and how long an authorization link stays usable.</summary>
public sealed class TokenPolicyOptions
{
    /// <summary><c>TOKEN_REFRESH_MARGIN</c>: a token with less time left than this is refreshed before it is handed out.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>AUTH_STATE_TTL</c>: how long a link from <c>/auth/start</c> can be completed.</summary>
    public TimeSpan AuthStateTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long to wait before trying a refresh again after Atlassian failed transiently without saying.</summary>
    public TimeSpan TransientFailureBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
