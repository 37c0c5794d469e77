using System.Data;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// Grants in PostgreSQL, one row per Telegram user, shared by every server process that uses the database. Nothing is
/// cached: every read is one primary-key lookup, so a change made by one process is seen by all at once.
/// </summary>
public sealed class PostgresTokenRepository(PostgresDatabase database) : ITokenRepository
{
    /// <summary>Statements per round trip when saving many grants; all of them still commit as one transaction.</summary>
    internal const int BatchSize = 500;

    private static readonly string SelectOne = $"SELECT {GrantRows.Columns} FROM {PostgresSchema.Grants} WHERE telegram_user_id = $1";
    private static readonly string SelectAll = $"SELECT {GrantRows.Columns} FROM {PostgresSchema.Grants} ORDER BY telegram_user_id";
    private static readonly string DeleteOne = $"DELETE FROM {PostgresSchema.Grants} WHERE telegram_user_id = $1";
    /// <summary>
    /// Keyset pagination ($1 after this user, $2 rows): a range scan of the primary key, or of the status's partial
    /// index (migration 3), from the cursor on, so a page costs the same at any depth and any number of users.
    /// </summary>
    private static readonly string SelectPageAll = PageOf(string.Empty);
    private static readonly string SelectPageConnected = PageOf("AND reauthorization_required_at IS NULL ");
    private static readonly string SelectPageDead = PageOf("AND reauthorization_required_at IS NOT NULL ");
    private static readonly string CountAll = $"SELECT count(*) FROM {PostgresSchema.Grants}";

    /// <summary>How long <c>/health</c> waits for the database before calling it unhealthy.</summary>
    internal static TimeSpan HealthTimeout { get; } = TimeSpan.FromSeconds(3);

    public ValueTask<StoredGrant?> GetAsync(long telegramUserId, CancellationToken cancellationToken) =>
        new(database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(SelectOne, connection);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = telegramUserId });
                await using var row = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, token).ConfigureAwait(false);
                return await row.ReadAsync(token).ConfigureAwait(false) ? GrantRows.Read(row).Value : null;
            },
            retry: true,
            cancellationToken));

    /// <remarks>Last write wins, whole. Safe to repeat, so a broken pooled connection is retried once.</remarks>
    public Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(telegramUserId);
        ArgumentNullException.ThrowIfNull(grant);
        return database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(GrantRows.Upsert, connection);
                GrantRows.AddParameters(command.Parameters, telegramUserId, grant);
                return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            },
            retry: true,
            cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="replacement"/> only while the row still has the revision that was read: one conditional
    /// UPDATE, which PostgreSQL checks against the row's latest version under its row lock, so a concurrent revoke,
    /// authorization or refresh makes it match nothing, while a re-encryption (which keeps the revision) does not.
    /// </summary>
    /// <remarks>Not retried: a replace that committed before its connection broke would then report "superseded".</remarks>
    public Task<bool> ReplaceAsync(long telegramUserId, StoredGrant expected, StoredGrant replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        return database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(GrantRows.ReplaceIfUnchanged, connection);
                GrantRows.AddParameters(command.Parameters, telegramUserId, replacement);
                GrantRows.AddExpectedRevision(command.Parameters, expected);
                return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false) > 0;
            },
            retry: false,
            cancellationToken);
    }

    /// <summary>
    /// One conditional UPDATE per grant (in batches, no table lock): a row whose revision moved on since it was read (a
    /// refresh landed) is left alone and reported, so the caller re-reads and re-encrypts it.
    /// </summary>
    public Task<IReadOnlyList<long>> ReencryptManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        return database.RunAsync<IReadOnlyList<long>>(
            async (connection, token) =>
            {
                var skipped = new List<long>();
                foreach (var chunk in grants.Chunk(BatchSize))
                {
                    await using var batch = new NpgsqlBatch(connection);
                    foreach (var (userId, grant) in chunk)
                    {
                        var command = new NpgsqlBatchCommand(GrantRows.Reencrypt);
                        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grant.EncryptedAccessToken });
                        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grant.EncryptedRefreshToken });
                        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = grant.Revision });
                        batch.BatchCommands.Add(command);
                    }

                    await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                    skipped.AddRange(chunk.Where((_, index) => batch.BatchCommands[index].RecordsAffected == 0).Select(pair => pair.Key));
                }

                return skipped;
            },
            retry: true,
            cancellationToken);
    }

    /// <summary>All grants in one transaction (all or none), each keeping its revision.</summary>
    public Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        return grants.Count == 0
            ? Task.CompletedTask
            : database.RunAsync(
                async (connection, token) =>
                {
                    await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                    await CopyAsync(connection, grants, token).ConfigureAwait(false);
                    await transaction.CommitAsync(token).ConfigureAwait(false);
                    return grants.Count;
                },
                retry: true,
                cancellationToken);
    }

    /// <remarks>Not retried: a delete that committed before its connection broke would then report "no grant".</remarks>
    public Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken) =>
        database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(DeleteOne, connection);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = telegramUserId });
                return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false) > 0;
            },
            retry: false,
            cancellationToken);

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<KeyValuePair<long, StoredGrant>>>(
            async (connection, token) => await ReadAllAsync(connection, token).ConfigureAwait(false),
            retry: true,
            cancellationToken);

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListPageAsync(long afterUserId, int limit, GrantStatus? status, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var sql = status switch
        {
            GrantStatus.Connected => SelectPageConnected,
            GrantStatus.ReauthorizationRequired => SelectPageDead,
            _ => SelectPageAll,
        };
        return database.RunAsync<IReadOnlyList<KeyValuePair<long, StoredGrant>>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterUserId });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
                await using var rows = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                var page = new List<KeyValuePair<long, StoredGrant>>(Math.Min(limit, 1024));
                while (await rows.ReadAsync(token).ConfigureAwait(false))
                {
                    page.Add(GrantRows.Read(rows));
                }

                return page;
            },
            retry: true,
            cancellationToken);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(CountAll, connection);
                return (int)(long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
            },
            retry: true,
            cancellationToken);

    /// <summary>True when the database answers within a few seconds and accepts writes (not a read-only standby).</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthTimeout);
        try
        {
            return await database.RunAsync(
                async (connection, token) =>
                {
                    await using var command = new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection);
                    return (bool)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
                },
                retry: true,
                timeout.Token).ConfigureAwait(false);
        }
        catch (TokenStoreException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Keyset pagination ($1 after this user, $2 rows): a range scan of the primary key, or of the status's partial
    /// index (migration 3), from the cursor on, so a page costs the same at any depth and any number of users.
    /// </summary>
    private static string PageOf(string filter) =>
        $"SELECT {GrantRows.Columns} FROM {PostgresSchema.Grants} WHERE telegram_user_id > $1 {filter}ORDER BY telegram_user_id LIMIT $2";

    /// <summary>Every grant, in user order, on <paramref name="connection"/> (inside the caller's transaction, if any).</summary>
    internal static async Task<List<KeyValuePair<long, StoredGrant>>> ReadAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectAll, connection);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var grants = new List<KeyValuePair<long, StoredGrant>>();
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            grants.Add(GrantRows.Read(rows));
        }

        return grants;
    }

    /// <summary>
    /// Stores <paramref name="grants"/> as they are, revisions included, on <paramref name="connection"/> inside the
    /// caller's transaction; the revision sequence then continues above them.
    /// </summary>
    internal static Task CopyAsync(NpgsqlConnection connection, IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken) =>
        CopyAsync(connection, grants, progress: null, cancellationToken);

    internal static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, IProgress<GrantProgress>? progress, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var chunk in grants.Chunk(BatchSize))
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var (userId, grant) in chunk)
            {
                var command = new NpgsqlBatchCommand(GrantRows.Copy);
                GrantRows.AddParameters(command.Parameters, userId, grant);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            sent += chunk.Length;
            progress?.Report(new GrantProgress(sent, grants.Count));
        }

        await using var continueAbove = new NpgsqlCommand(GrantRows.RevisionsAboveCopies, connection);
        await continueAbove.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
