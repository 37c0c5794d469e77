using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>Grants for store tests: one with every field set, one with only the required ones.</summary>
internal static class GrantBuilder
{
    public static readonly DateTimeOffset Now = new DateTimeOffset(2025, 6, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(1234560);

    public static StoredGrant Full(ITokenCipher cipher, string seed = "a") => new()
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
        UnknownFields = new Dictionary<string, string>
        {
            ["legacy_flags"] = """{"beta":true,"limits":[1,2.5,null],"nested":{"deep":"x"}}""",
            ["refresh_count"] = "7",
        },
    };

    public static StoredGrant Minimal(ITokenCipher cipher, string seed = "a") => new()
    {
        EncryptedAccessToken = cipher.Encrypt("access-" + seed),
        EncryptedRefreshToken = string.Empty,
        ExpiresAt = Now,
    };

    /// <summary>Record equality compares the unknown-field dictionaries by reference; this compares their content.</summary>
    public static void AssertSame(StoredGrant? actual, StoredGrant expected)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.That(actual! with { UnknownFields = expected.UnknownFields }, Is.EqualTo(expected));
        Assert.That(actual.UnknownFields, Is.EquivalentTo(expected.UnknownFields));
    }
}
