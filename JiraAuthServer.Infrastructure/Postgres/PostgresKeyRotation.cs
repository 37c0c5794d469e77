using JiraAuthServer.Infrastructure.Crypto;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// <c>rotate-keys</c> on the database: read, re-encrypt and write back in one transaction with the table locked
/// against writers, so a refresh saved by a running server meanwhile waits and then lands on top instead of being
/// overwritten by its older, re-encrypted self. The servers may therefore keep running during a rotation.
/// </summary>
public static class PostgresKeyRotation
{
    public static Task<KeyRotationResult> RotateAsync(PostgresDatabase database, FernetTokenCipher cipher, CancellationToken cancellationToken) =>
        LockedGrantRewrite.RunAsync(
            database,
            async (connection, token) => KeyRotation.Plan(await PostgresTokenRepository.ReadAllAsync(connection, token).ConfigureAwait(false), cipher),
            cancellationToken);
}
