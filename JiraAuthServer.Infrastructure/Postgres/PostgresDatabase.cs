using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// The PostgreSQL behind <c>TOKEN_STORE=postgres</c>: a connection pool, the schema brought up to date at open, and
/// the one place database failures become <see cref="DatabaseUnavailableException"/> (503) instead of crashes. After
/// an outage it recovers by itself: a connection found broken empties the pool, and the next use connects anew.
/// </summary>
public sealed partial class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string connectionString;
    private readonly ILogger logger;

    private PostgresDatabase(NpgsqlDataSource dataSource, string connectionString, string description, ILogger logger)
    {
        this.dataSource = dataSource;
        // The data source's own connection string has the password removed; this one still holds it.
        this.connectionString = connectionString;
        Description = description;
        this.logger = logger;
    }

    /// <summary>Host, port, database and user; never the password.</summary>
    public string Description { get; }

    /// <summary>Connects and migrates the schema.</summary>
    /// <exception cref="DatabaseStartupException">The database cannot be reached or used, or its schema is newer.</exception>
    public static PostgresDatabase Open(NpgsqlConnectionStringBuilder settings, ILogger logger)
    {
        var description = DatabaseUrl.Describe(settings);
        var dataSource = NpgsqlDataSource.Create(settings);
        try
        {
            using var connection = dataSource.OpenConnection();
            var (before, after) = PostgresSchema.Migrate(connection, description);
            LogOpened(logger, description, before, after);
            return new PostgresDatabase(dataSource, settings.ConnectionString, description, logger);
        }
        catch (Exception exception) when (IsDatabaseFailure(exception))
        {
            dataSource.Dispose();
            throw new DatabaseStartupException(
                $"{description} cannot be used: {Reason(exception)}. Check {Core.Options.SettingNames.DatabaseUrl} and that the database server is running and reachable.",
                exception);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection. With <paramref name="retry"/> (for work that may safely
    /// run twice) a connection that turns out broken, as every pooled one is after a database restart, is retried once
    /// on a fresh one.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">The database failed or could not be reached.</exception>
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, bool retry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsDatabaseFailure(exception) && !cancellationToken.IsCancellationRequested)
            {
                var broken = IsBrokenConnection(exception);
                if (broken)
                {
                    dataSource.Clear();
                }

                if (!(retry && broken && attempt == 1))
                {
                    LogFailed(logger, Description, Reason(exception));
                    throw Unavailable(exception);
                }
            }
        }
    }

    /// <summary>A pool of its own for connections that hold session advisory locks, so they never starve the queries.</summary>
    internal NpgsqlDataSource CreateLockSource() => NpgsqlDataSource.Create(connectionString);

    /// <summary>A connection of its own, outside <see cref="RunAsync"/>, for a lock held across other work.</summary>
    internal async Task<NpgsqlConnection> OpenDedicatedAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        try
        {
            return await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsDatabaseFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, Description, Reason(exception));
            throw Unavailable(exception);
        }
    }

    internal DatabaseUnavailableException Unavailable(Exception exception) =>
        new($"{Description} is unavailable: {Reason(exception)}", exception);

    internal void LogFailure(Exception exception) => LogFailed(logger, Description, Reason(exception));

    internal static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException or SocketException or IOException or OperationCanceledException;

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();

    /// <summary>A failure of the connection itself (rather than of a statement): the pooled connections are suspect.</summary>
    private static bool IsBrokenConnection(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: TimeoutException } => false, // a slow query or an exhausted pool, not a dead connection
        NpgsqlException or SocketException or IOException => true,
        _ => false,
    };

    /// <summary>The failure in a few words: Npgsql's messages name hosts and users, never passwords.</summary>
    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var outer = exception.Message.TrimEnd('.');
        return innermost == exception || outer.Contains(innermost.Message, StringComparison.Ordinal)
            ? outer
            : $"{outer} ({innermost.Message.TrimEnd('.')})";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token store: {Database} (schema version {Before} -> {After})")]
    private static partial void LogOpened(ILogger logger, string database, int before, int after);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Database} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string database, string reason);
}
