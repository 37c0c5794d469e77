namespace JiraAuthServer.Core.Grants;

/// <summary>
/// One user's grant exactly as it is kept in the store: the access and refresh tokens are still Fernet-encrypted.
/// Field names follow the old server's <c>user_tokens.json</c>.
/// </summary>
public sealed record StoredGrant
{
    public required string EncryptedAccessToken { get; init; }

    /// <summary>Empty when the old server stored a grant without a refresh token.</summary>
    public required string EncryptedRefreshToken { get; init; }

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

    /// <summary>Fields this version does not know, kept verbatim (name → raw JSON) so nothing is lost on rewrite.</summary>
    public IReadOnlyDictionary<string, string> UnknownFields { get; init; } = EmptyFields;

    public bool NeedsReauthorization => ReauthorizationRequiredAt is not null;

    private static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
}
