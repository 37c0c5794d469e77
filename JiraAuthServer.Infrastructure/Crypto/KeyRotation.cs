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

    /// <summary>Grants decrypted, re-encrypted and written per step; progress is reported after each.</summary>
    internal const int ChunkSize = 5_000;

    public static Task<KeyRotationResult> RotateAsync(ITokenRepository repository, FernetTokenCipher cipher, CancellationToken cancellationToken) =>
        RotateAsync(repository, cipher, progress: null, cancellationToken);

    /// <param name="repository">The store.</param>
    /// <param name="cipher">The key ring; its first key encrypts.</param>
    /// <param name="progress">Told how many grants were handled after each step of <see cref="ChunkSize"/>.</param>
    /// <param name="cancellationToken">Stops between steps; what was written stays written (each write is a whole grant).</param>
    public static async Task<KeyRotationResult> RotateAsync(ITokenRepository repository, FernetTokenCipher cipher, IProgress<GrantProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var grants = await repository.ListAsync(cancellationToken);
        var results = new List<KeyRotationResult>();
        var skipped = new List<long>();
        progress?.Report(new GrantProgress(0, grants.Count));
        foreach (var chunk in grants.Chunk(ChunkSize))
        {
            var (rotated, result) = Plan(chunk, cipher);
            results.Add(result);
            if (rotated.Count > 0)
            {
                skipped.AddRange(await repository.ReencryptManyAsync(rotated, cancellationToken));
            }

            progress?.Report(new GrantProgress(results.Sum(step => step.Total), grants.Count));
        }

        await RetryChangedAsync(repository, cipher, skipped, cancellationToken);
        return new KeyRotationResult(
            grants.Count,
            results.Sum(step => step.Rewritten),
            results.Sum(step => step.AlreadyCurrent),
            results.SelectMany(step => step.Unreadable).ToList());
    }

    /// <summary>Grants that changed (a refresh landed) between being read and being re-encrypted: read again, rotate again.</summary>
    private static async Task RetryChangedAsync(ITokenRepository repository, FernetTokenCipher cipher, List<long> changed, CancellationToken cancellationToken)
    {
        IReadOnlyList<long> skipped = changed;
        for (var round = 0; skipped.Count > 0; round++)
        {
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

            var rotated = Plan(again, cipher).Rotated;
            skipped = rotated.Count == 0 ? [] : await repository.ReencryptManyAsync(rotated, cancellationToken);
        }
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
