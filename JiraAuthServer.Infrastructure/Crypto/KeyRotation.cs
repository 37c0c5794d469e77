using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// Re-encrypts every stored grant under the first key of the ring, so that afterwards the older keys can be dropped
/// from <c>ENCRYPTION_KEY</c>. Re-encryption does not change a grant: each write keeps the revision and lands only if
/// the grant was not changed meanwhile, so a refresh that lands during the rotation wins, and its grant is read and
/// re-encrypted again. Servers may keep running while it runs.
/// </summary>
public static class KeyRotation
{
    /// <summary>Rounds of re-reading grants that changed during the previous round; each round is far shorter than the last.</summary>
    private const int Rounds = 10;

    public static async Task<KeyRotationResult> RotateAsync(ITokenRepository repository, FernetTokenCipher cipher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var grants = await repository.ListAsync(cancellationToken);
        var (rotated, result) = Plan(grants, cipher);
        for (var round = 0; rotated.Count > 0; round++)
        {
            var skipped = await repository.ReencryptManyAsync(rotated, cancellationToken);
            if (skipped.Count == 0)
            {
                break;
            }

            if (round == Rounds)
            {
                throw new TokenStoreException($"{skipped.Count} grants changed during each of {Rounds} rounds of key rotation; run rotate-keys again.");
            }

            var again = new List<KeyValuePair<long, StoredGrant>>();
            foreach (var userId in skipped)
            {
                if (await repository.GetAsync(userId, cancellationToken) is { } current)
                {
                    again.Add(KeyValuePair.Create(userId, current));
                }
            }

            rotated = Plan(again, cipher).Rotated;
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
