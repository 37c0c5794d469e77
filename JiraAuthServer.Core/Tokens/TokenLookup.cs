using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Tokens;

/// <summary>The answer to "give me a working token for this user".</summary>
public sealed record TokenLookup
{
    public required TokenLookupStatus Status { get; init; }

    /// <summary>
    /// The decrypted access token, when <see cref="Status"/> is <see cref="TokenLookupStatus.Served"/>; null in an
    /// answer for the status, when the token was known to open without decrypting it again.
    /// </summary>
    public string? AccessToken { get; init; }

    public StoredGrant? Grant { get; init; }

    /// <summary>When to try again, for <see cref="TokenLookupStatus.AtlassianUnavailable"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How the refresh attempted for this answer ended; null when none was attempted.</summary>
    public RefreshOutcome? RefreshOutcome { get; init; }

    public static TokenLookup NotFound { get; } = new() { Status = TokenLookupStatus.NotFound };

    public static TokenLookup StoreUnavailable { get; } = new() { Status = TokenLookupStatus.StoreUnavailable };

    public static TokenLookup Served(string accessToken, StoredGrant grant) =>
        new() { Status = TokenLookupStatus.Served, AccessToken = accessToken, Grant = grant };

    /// <summary>Served, for an answer that does not carry the token: the stored one is known to open.</summary>
    public static TokenLookup Confirmed(StoredGrant grant) =>
        new() { Status = TokenLookupStatus.Served, Grant = grant };

    public static TokenLookup ReauthorizationRequired(StoredGrant grant) =>
        new() { Status = TokenLookupStatus.ReauthorizationRequired, Grant = grant };

    public static TokenLookup Unreadable(StoredGrant grant) =>
        new() { Status = TokenLookupStatus.Unreadable, Grant = grant };

    public static TokenLookup Unavailable(StoredGrant grant, TimeSpan retryAfter) =>
        new() { Status = TokenLookupStatus.AtlassianUnavailable, Grant = grant, RetryAfter = retryAfter };
}
