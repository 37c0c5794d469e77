using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// Re-encrypts every stored grant under the first key of the ring, in one atomic store write, so that afterwards
/// the older keys can be dropped from <c>ENCRYPTION_KEY</c>.
/// </summary>
public static class KeyRotation
{
    public static async Task<KeyRotationResult> RotateAsync(ITokenRepository repository, FernetTokenCipher cipher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var grants = await repository.ListAsync(cancellationToken);
        var (rotated, result) = Plan(grants, cipher);
        if (rotated.Count > 0)
        {
            await repository.SaveManyAsync(rotated, cancellationToken);
        }

        return result;
    }

    /// <summary>The grants re-encrypted under the first key (only those that were not already), and the counts.</summary>
    internal static (List<KeyValuePair<long, StoredGrant>> Rotated, KeyRotationResult Result) Plan(IReadOnlyList<KeyValuePair<long, StoredGrant>> grants, FernetTokenCipher cipher)
    {
        var rotated = new List<KeyValuePair<long, StoredGrant>>();
        var unreadable = new List<long>();
        foreach (var (userId, grant) in grants)
        {
            try
            {
                var access = cipher.RotateUnlessPrimary(grant.EncryptedAccessToken);
                var refresh = grant.EncryptedRefreshToken.Length == 0 ? null : cipher.RotateUnlessPrimary(grant.EncryptedRefreshToken);
                if (access is not null || refresh is not null)
                {
                    rotated.Add(new(userId, grant with
                    {
                        EncryptedAccessToken = access ?? grant.EncryptedAccessToken,
                        EncryptedRefreshToken = refresh ?? grant.EncryptedRefreshToken,
                    }));
                }
            }
            catch (TokenDecryptionException)
            {
                unreadable.Add(userId);
            }
        }

        return (rotated, new KeyRotationResult(grants.Count, rotated.Count, grants.Count - rotated.Count - unreadable.Count, unreadable));
    }
}
