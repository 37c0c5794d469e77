using System.Globalization;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// A session-level advisory lock held on a connection of its own until disposed. Should the process die first, the
/// connection dies with it and PostgreSQL ends the session and releases the lock: at once when the process is
/// killed, and through TCP keepalive (about a minute) when its host vanishes without a word.
/// </summary>
internal sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly PostgresDatabase database;
    private readonly NpgsqlDataSource source;
    private readonly NpgsqlConnection connection;
    private readonly int space;
    private readonly int key;

    private AdvisoryLock(PostgresDatabase database, NpgsqlDataSource source, NpgsqlConnection connection, int space, int key)
    {
        this.database = database;
        this.source = source;
        this.connection = connection;
        this.space = space;
        this.key = key;
    }

    /// <summary>Waits for the lock, at most <paramref name="waitLimit"/>.</summary>
    /// <exception cref="DatabaseUnavailableException">The database failed, or the wait timed out (<paramref name="onTimeout"/> says why).</exception>
    public static async Task<AdvisoryLock> AcquireAsync(PostgresDatabase database, NpgsqlDataSource source, int space, int key, TimeSpan waitLimit, Func<string> onTimeout, CancellationToken cancellationToken)
    {
        var acquired = await TryTakeAsync(database, source, space, key, waitLimit, onTimeout, cancellationToken).ConfigureAwait(false);
        return acquired!;
    }

    /// <returns>The lock, or null when another session holds it.</returns>
    public static Task<AdvisoryLock?> TryAcquireAsync(PostgresDatabase database, NpgsqlDataSource source, int space, int key, CancellationToken cancellationToken) =>
        TryTakeAsync(database, source, space, key, waitLimit: null, () => string.Empty, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
            unlock.Parameters.Add(new NpgsqlParameter<int> { TypedValue = space });
            unlock.Parameters.Add(new NpgsqlParameter<int> { TypedValue = key });
            await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresDatabase.IsDatabaseFailure(exception))
        {
            // The session may still be alive and holding the lock: make sure the connection is closed, not pooled.
            database.LogFailure(exception);
            source.Clear();
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<AdvisoryLock?> TryTakeAsync(PostgresDatabase database, NpgsqlDataSource source, int space, int key, TimeSpan? waitLimit, Func<string> onTimeout, CancellationToken cancellationToken)
    {
        var connection = await database.OpenDedicatedAsync(source, cancellationToken).ConfigureAwait(false);
        try
        {
            // Session settings, reset when the pool takes the connection back: how long to wait, and how soon the
            // server notices that this client is gone (keepalive probes after 30 s idle, every 10 s, 3 tries).
            await using var batch = new NpgsqlBatch(connection);
            var settings = new NpgsqlBatchCommand(
                "SELECT set_config('lock_timeout', $1, false), set_config('tcp_keepalives_idle', '30', false), " +
                "set_config('tcp_keepalives_interval', '10', false), set_config('tcp_keepalives_count', '3', false)");
            settings.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ((long)(waitLimit ?? TimeSpan.Zero).TotalMilliseconds).ToString(CultureInfo.InvariantCulture) });
            var take = new NpgsqlBatchCommand(waitLimit is null ? "SELECT pg_try_advisory_lock($1, $2)" : "SELECT pg_advisory_lock($1, $2)");
            take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = space });
            take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = key });
            batch.BatchCommands.Add(settings);
            batch.BatchCommands.Add(take);
            // Waiting is bounded by lock_timeout, not by the command timeout.
            batch.Timeout = 0;
            object? result;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                result = reader.GetValue(0);
            }

            if (waitLimit is not null || result is true)
            {
                return new AdvisoryLock(database, source, connection, space, key);
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DatabaseUnavailableException(onTimeout(), exception);
        }
        catch (Exception exception) when (PostgresDatabase.IsDatabaseFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            database.LogFailure(exception);
            throw database.Unavailable(exception);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
