using System.Diagnostics.CodeAnalysis;

namespace JiraAuthServer.Core.Grants;

/// <summary>
/// One user's grant exactly as it is kept in the store: the access and refresh tokens are still Fernet-encrypted.
/// Field names follow the old server's <c>user_tokens.json</c>.
/// </summary>
public sealed record StoredGrant
{
    private SealedText accessToken;
    private SealedText refreshToken;

    public StoredGrant()
    {
    }

    /// <summary>For the store's loader, which has the tokens as <see cref="SealedText"/> already.</summary>
    // The token properties are views of the two fields set here, which the compiler cannot see.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    public StoredGrant(SealedText accessToken, SealedText refreshToken, DateTimeOffset expiresAt)
#pragma warning restore CS8618
    {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        ExpiresAt = expiresAt;
    }

    /// <remarks>Made from <see cref="SealedAccessToken"/> on each read: hot paths use that instead.</remarks>
    public required string EncryptedAccessToken { get => accessToken.ToString(); init => accessToken = SealedText.From(value); }

    /// <summary>Empty when the old server stored a grant without a refresh token.</summary>
    public required string EncryptedRefreshToken { get => refreshToken.ToString(); init => refreshToken = SealedText.From(value); }

    /// <summary>The encrypted access token as it is held in memory.</summary>
    public SealedText SealedAccessToken { get => accessToken; init => accessToken = value; }

    public SealedText SealedRefreshToken { get => refreshToken; init => refreshToken = value; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string TokenType { get; init; } = "Bearer";

    public string Scope { get; init; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public string? JiraAccountId { get; init; }

    public string? JiraEmail { get; init; }

    public string? JiraCloudId { get; init; }

    public string? JiraSiteUrl { get; init; }

    public string? JiraSiteName { get; init; }

    /// <summary>Every site the user could reach when they authorized; null in records written before it was kept.</summary>
    public IReadOnlyList<JiraSite>? JiraSites { get; init; }

    /// <summary>Set when Atlassian declared the grant dead; the record is kept for audit until a new authorization.</summary>
    public DateTimeOffset? ReauthorizationRequiredAt { get; init; }

    /// <summary>
    /// The moment the user consented (the callback that stored this grant): kept across refreshes, replaced by a new
    /// authorization. Null in records written before it was kept; <see cref="ReauthorizationDueAt"/> then counts from
    /// <see cref="CreatedAt"/>.
    /// </summary>
    public DateTimeOffset? ConsentedAt { get; init; }

    /// <summary>When the bot was told that this consent's <see cref="ReauthorizationDueAt"/> is near; null until then.</summary>
    public DateTimeOffset? ReauthorizationNoticeSentAt { get; init; }

    /// <summary>
    /// The store's version of this record: a new, higher number each time the grant changes (a save or a conditional
    /// replace), kept when it is only re-encrypted or copied between stores. 0 for a record no store has numbered
    /// yet (the old server's). Conditional writes compare it; see <see cref="Storage.ITokenRepository"/>.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>Fields this version does not know, kept verbatim (name → raw JSON) so nothing is lost on rewrite.</summary>
    public IReadOnlyDictionary<string, string> UnknownFields { get; init; } = EmptyFields;

    public bool NeedsReauthorization => ReauthorizationRequiredAt is not null;

    public GrantStatus Status => NeedsReauthorization ? GrantStatus.ReauthorizationRequired : GrantStatus.Connected;

    /// <summary>The consent this grant lives on: <see cref="ConsentedAt"/>, else <see cref="CreatedAt"/> (older records); null when neither is known.</summary>
    public DateTimeOffset? EffectiveConsentAt => ConsentedAt ?? CreatedAt;

    /// <summary>
    /// When Atlassian ends the grant however active it is (<see cref="ConsentLifetime"/> after the consent), so the user
    /// must authorize again by then; null when the consent time is unknown.
    /// </summary>
    public DateTimeOffset? ReauthorizationDueAt => EffectiveConsentAt + ConsentLifetime;

    /// <summary>Atlassian's absolute lifetime of a refresh-token family, counted from the user's consent.</summary>
    public static TimeSpan ConsentLifetime { get; } = TimeSpan.FromDays(365);

    private static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
}
