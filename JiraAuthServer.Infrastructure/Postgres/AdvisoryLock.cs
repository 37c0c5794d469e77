using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// A session-level advisory lock held on a connection of its own until disposed. Should the process die first, the
/// connection dies with it and PostgreSQL releases the lock.
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

    /// <summary>Waits for the lock, up to the source's <c>lock_timeout</c>.</summary>
    /// <exception cref="DatabaseUnavailableException">The database failed, or the wait timed out (<paramref name="onTimeout"/> says why).</exception>
    public static async Task<AdvisoryLock> AcquireAsync(PostgresDatabase database, NpgsqlDataSource source, int space, int key, Func<string> onTimeout, CancellationToken cancellationToken)
    {
        var acquired = await TryTakeAsync(database, source, space, key, wait: true, onTimeout, cancellationToken).ConfigureAwait(false);
        return acquired!;
    }

    /// <returns>The lock, or null when another session holds it.</returns>
    public static Task<AdvisoryLock?> TryAcquireAsync(PostgresDatabase database, NpgsqlDataSource source, int space, int key, CancellationToken cancellationToken) =>
        TryTakeAsync(database, source, space, key, wait: false, () => string.Empty, cancellationToken);

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

    private static async Task<AdvisoryLock?> TryTakeAsync(PostgresDatabase database, NpgsqlDataSource source, int space, int key, bool wait, Func<string> onTimeout, CancellationToken cancellationToken)
    {
        var connection = await database.OpenDedicatedAsync(source, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(wait ? "SELECT pg_advisory_lock($1, $2)" : "SELECT pg_try_advisory_lock($1, $2)", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = space });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = key });
            // Waiting is bounded by lock_timeout, not by the command timeout.
            command.CommandTimeout = 0;
            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (wait || result is true)
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
