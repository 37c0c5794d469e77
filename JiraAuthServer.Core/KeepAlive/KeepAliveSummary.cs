namespace JiraAuthServer.Core.KeepAlive;

/// <summary>What one keep-alive pass did; logged as one line.</summary>
public sealed record KeepAliveSummary
{
    /// <summary>Grants in the store when the pass began.</summary>
    public int Checked { get; init; }

    /// <summary>Grants not refreshed for <c>KEEPALIVE_AFTER</c> (and neither dead nor without a refresh token).</summary>
    public int Due { get; init; }

    public int Refreshed { get; init; }

    /// <summary>Atlassian said the grant is dead: marked, the user must authorize again.</summary>
    public int ReauthorizationRequired { get; init; }

    /// <summary>Atlassian unreachable, slow or rate-limiting; the grant was kept and is tried again.</summary>
    public int Transient { get; init; }

    /// <summary>Refused for another reason (client credentials), the store failed, or this server's keys do not open the grant.</summary>
    public int OtherFailures { get; init; }

    /// <summary>Due at the start, but refreshed, revoked or held back by a backoff by the time its turn came.</summary>
    public int Skipped { get; init; }

    /// <summary>The pass ended early because Atlassian kept failing; the rest waits for the next pass.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Notices sent to the bot that a grant reaches its yearly end soon.</summary>
    public int ReauthorizationNoticesSent { get; init; }

    public TimeSpan Elapsed { get; init; }
}
