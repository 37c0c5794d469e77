using JiraAuthServer.Infrastructure.Crypto;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// <c>rotate-keys</c> on the database: read, re-encrypt and write back in one transaction with the table locked
/// against writers, so a refresh saved by a running server meanwhile waits and then lands on top instead of being
/// overwritten by its older, re-encrypted self. The servers may therefore keep running during a rotation.
/// </summary>
public static class PostgresKeyRotation
{
    public static Task<KeyRotationResult> RotateAsync(PostgresDatabase database, FernetTokenCipher cipher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.RunAsync(
            async (connection, token) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using (var lockTable = new NpgsqlCommand(PostgresSchema.LockGrantsAgainstWriters, connection))
                {
                    await lockTable.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                var (rotated, result) = KeyRotation.Plan(await PostgresTokenRepository.ReadAllAsync(connection, token).ConfigureAwait(false), cipher);
                await PostgresTokenRepository.UpsertAsync(connection, rotated, token).ConfigureAwait(false);
                await transaction.CommitAsync(token).ConfigureAwait(false);
                return result;
            },
            retry: false,
            cancellationToken);
    }
}
