using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Storage;

namespace ServerBench;

/// <summary>
/// A token file of users 1..N as this server writes it, every user with their own tokens of realistic size
/// (an Atlassian access token is a JWT of about 1.5 KB, a refresh token about 0.7 KB), Fernet-encrypted with the real key.
/// </summary>
internal static class Seeder
{
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    // expired: users whose access token expired a minute ago, with the refresh token the fake Atlassian issued them;
    // asking for their token makes the server refresh it.
    public static async Task SeedAsync(string path, int users, string encryptionKey, int accessBytes, int refreshBytes, IReadOnlyDictionary<long, string>? expired = null)
    {
        var cipher = FernetTokenCipher.FromEncryptionKey(encryptionKey);
        var now = DateTimeOffset.UtcNow;
        var grants = new KeyValuePair<long, StoredGrant>[users];
        Parallel.For(0, users, () => new Random(), (index, _, random) =>
        {
            long user = index + 1;
            var refreshToken = expired?.GetValueOrDefault(user);
            grants[index] = KeyValuePair.Create(user, new StoredGrant
            {
                EncryptedAccessToken = cipher.Encrypt(Jwt(random, accessBytes)),
                EncryptedRefreshToken = cipher.Encrypt(refreshToken ?? new string(random.GetItems(Base64Url.AsSpan(), refreshBytes))),
                ExpiresAt = refreshToken is null ? now.AddHours(6) : now.AddMinutes(-1),
                Scope = "read:jira-work read:jira-user write:jira-work offline_access",
                CreatedAt = now.AddDays(-30),
                UpdatedAt = now,
                JiraAccountId = $"5b10ac8d82e05b22cc{user:x6}",
                JiraEmail = $"user{user}@example.com",
                JiraCloudId = "11223344-a1b2-3b33-c444-def123456789",
                JiraSiteUrl = "https://example.atlassian.net",
                JiraSiteName = "example",
            });
            return random;
        }, _ => { });

        await using var store = JsonFileTokenRepository.Open(path, cipher);
        await store.SaveManyAsync(grants, CancellationToken.None);
    }

    private static string Jwt(Random random, int length)
    {
        var text = random.GetItems(Base64Url.AsSpan(), length);
        text[36] = '.';
        text[length - 344] = '.';
        return new string(text);
    }
}
