using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// Test data: a stored grant with sensible defaults, changed only where a test cares; and, for store tests, one grant
/// with every field set (<see cref="Full"/>) and one with only the required ones (<see cref="Minimal"/>).
/// </summary>
public sealed class GrantBuilder
{
    /// <summary>The time <see cref="Full"/> and <see cref="Minimal"/> are built around; microseconds set to prove they survive.</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2025, 6, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(1234560);

    private readonly ITokenCipher cipher;
    private string accessToken = "access-1";
    private string refreshToken = "refresh-1";
    private DateTimeOffset expiresAt = DateTimeOffset.Parse("2026-01-01T13:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture);

    public GrantBuilder(ITokenCipher? cipher = null) => this.cipher = cipher ?? new PrefixTestCipher();

    public static StoredGrant Full(ITokenCipher? cipher = null, string seed = "a")
    {
        cipher ??= new PrefixTestCipher();
        return new()
        {
            EncryptedAccessToken = cipher.Encrypt("access-" + seed),
            EncryptedRefreshToken = cipher.Encrypt("refresh-" + seed),
            ExpiresAt = Now.AddHours(1),
            TokenType = "Bearer",
            Scope = "read:jira-work write:jira-work offline_access",
            CreatedAt = Now.AddDays(-30),
            UpdatedAt = Now,
            JiraAccountId = "5b10ac8d82e05b22cc7d4ef5-" + seed,
            JiraEmail = $"user-{seed}@example.com",
            JiraCloudId = "11223344-a1b2-3b33-c444-def123456789",
            JiraSiteUrl = "https://example.atlassian.net",
            JiraSiteName = "Example Café",
            ReauthorizationRequiredAt = Now.AddMinutes(5),
            ConsentedAt = Now.AddDays(-20),
            ReauthorizationNoticeSentAt = Now.AddDays(-2),
            UnknownFields = new Dictionary<string, string>
            {
                ["legacy_flags"] = """{"beta":true,"limits":[1,2.5,null],"nested":{"deep":"x"}}""",
                ["refresh_count"] = "7",
            },
        };
    }

    public static StoredGrant Minimal(ITokenCipher? cipher = null, string seed = "a") => new()
    {
        EncryptedAccessToken = (cipher ?? new PrefixTestCipher()).Encrypt("access-" + seed),
        EncryptedRefreshToken = string.Empty,
        ExpiresAt = Now,
    };

    /// <summary>
    /// Record equality compares the unknown-field dictionaries by reference; this compares their content. The
    /// revision is the store's to number, so it is left out.
    /// </summary>
    public static void AssertSame(StoredGrant? actual, StoredGrant expected)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.That(actual! with { UnknownFields = expected.UnknownFields, Revision = expected.Revision }, Is.EqualTo(expected));
        Assert.That(actual.UnknownFields, Is.EquivalentTo(expected.UnknownFields));
    }

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
        UnknownFields = new Dictionary<string, string> { ["legacy_note"] = "\"kept\"" },
    };
}
