using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Tests.Support;

/// <summary>Test data: a stored grant with sensible defaults, changed only where a test cares.</summary>
public sealed class GrantBuilder
{
    private readonly ITokenCipher cipher;
    private string accessToken = "access-1";
    private string refreshToken = "refresh-1";
    private DateTimeOffset expiresAt = DateTimeOffset.Parse("2026-01-01T13:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture);
    private DateTimeOffset? reauthorizationRequiredAt;

    public GrantBuilder(ITokenCipher? cipher = null) => this.cipher = cipher ?? new PrefixTestCipher();

    public GrantBuilder WithAccessToken(string token)
    {
        accessToken = token;
        return this;
    }

    public GrantBuilder WithRefreshToken(string token)
    {
        refreshToken = token;
        return this;
    }

    public GrantBuilder ExpiringAt(DateTimeOffset time)
    {
        expiresAt = time;
        return this;
    }

    public GrantBuilder MarkedDead(DateTimeOffset time)
    {
        reauthorizationRequiredAt = time;
        return this;
    }

    public StoredGrant Build() => new()
    {
        EncryptedAccessToken = cipher.Encrypt(accessToken),
        EncryptedRefreshToken = cipher.Encrypt(refreshToken),
        ExpiresAt = expiresAt,
        TokenType = "Bearer",
        Scope = "read:jira-work offline_access",
        CreatedAt = expiresAt.AddDays(-10),
        UpdatedAt = expiresAt.AddHours(-1),
        JiraAccountId = "account-1",
        JiraEmail = "ann@example.com",
        JiraCloudId = "cloud-1",
        JiraSiteUrl = "https://example.atlassian.net",
        JiraSiteName = "example",
        ReauthorizationRequiredAt = reauthorizationRequiredAt,
        UnknownFields = new Dictionary<string, string> { ["legacy_note"] = "\"kept\"" },
    };
}
