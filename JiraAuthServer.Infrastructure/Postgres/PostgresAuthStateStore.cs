using System.Security.Cryptography;
using System.Text;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Infrastructure.Storage.Fields;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// Pending authorization states shared by every server process, so a link issued by one completes on any other.
/// <see cref="TakeAsync"/> deletes and returns the row in one statement: a state is usable once across all of them.
/// Only a SHA-256 of each state is stored, so the table's contents cannot be used to complete anyone's authorization.
/// </summary>
public sealed class PostgresAuthStateStore(PostgresDatabase database, TimeProvider time) : IAuthStateStore
{
    private static readonly string Insert =
        $"INSERT INTO {PostgresSchema.States} (state_hash, telegram_user_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (state_hash) DO NOTHING";

    private static readonly string PurgeExpired = $"DELETE FROM {PostgresSchema.States} WHERE expires_at <= $1";

    private static readonly string Take =
        $"DELETE FROM {PostgresSchema.States} WHERE state_hash = $1 RETURNING telegram_user_id, expires_at";

    /// <summary>Stores the state and, in the same round trip, removes every expired one.</summary>
    public Task AddAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return database.RunAsync(
            async (connection, token) =>
            {
                await using var batch = new NpgsqlBatch(connection);
                var insert = new NpgsqlBatchCommand(Insert);
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Hash(pending.State) });
                insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = pending.TelegramUserId });
                insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = TimeValue.ToMicroseconds(pending.ExpiresAt) });
                var purge = new NpgsqlBatchCommand(PurgeExpired);
                purge.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = TimeValue.ToMicroseconds(time.GetUtcNow()) });
                batch.BatchCommands.Add(insert);
                batch.BatchCommands.Add(purge);
                return await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            },
            retry: true,
            cancellationToken);
    }

    /// <remarks>Not retried: a take that committed before its connection broke must not be taken twice.</remarks>
    public Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return database.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Take, connection);
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Hash(state) });
                await using var row = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                return await row.ReadAsync(token).ConfigureAwait(false)
                    ? new PendingAuthorization(state, row.GetInt64(0), row.GetFieldValue<DateTimeOffset>(1))
                    : null;
            },
            retry: false,
            cancellationToken);
    }

    private static byte[] Hash(string state) => SHA256.HashData(Encoding.UTF8.GetBytes(state));
}
