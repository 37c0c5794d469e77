using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// A whole-table change (key rotation, token file import): one transaction with the grants table locked against
/// writers, so what the plan read is still true when its writes land and a server's save meanwhile waits, then lands on top.
/// </summary>
internal static class LockedGrantRewrite
{
    /// <param name="database">The database.</param>
    /// <param name="plan">Reads what it needs on the locked connection and says which grants to write and what to report.</param>
    /// <param name="progress">Told how many of the planned writes have been sent, batch by batch.</param>
    /// <param name="cancellationToken">Cancels the whole change; nothing is written then.</param>
    /// <remarks>Not retried: a change that committed before its connection broke must not be counted twice.</remarks>
    public static Task<TResult> RunAsync<TResult>(
        PostgresDatabase database,
        Func<NpgsqlConnection, CancellationToken, Task<(List<KeyValuePair<long, StoredGrant>> Writes, TResult Result)>> plan,
        IProgress<GrantProgress>? progress,
        CancellationToken cancellationToken)
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

                var (writes, result) = await plan(connection, token).ConfigureAwait(false);
                await PostgresTokenRepository.CopyAsync(connection, writes, progress, token).ConfigureAwait(false);
                await transaction.CommitAsync(token).ConfigureAwait(false);
                return result;
            },
            retry: false,
            cancellationToken);
    }
}
