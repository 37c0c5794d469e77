using JiraAuthServer.Core.KeepAlive;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>The keep-alive pass on one server process at a time: a session advisory lock taken without waiting.</summary>
public sealed class PostgresKeepAlivePassLock : IKeepAliveGate, IAsyncDisposable
{
    private readonly PostgresDatabase database;
    private readonly NpgsqlDataSource locks;

    public PostgresKeepAlivePassLock(PostgresDatabase database)
    {
        this.database = database;
        locks = database.CreateLockSource();
    }

    public async Task<IAsyncDisposable?> TryEnterAsync(CancellationToken cancellationToken) =>
        await AdvisoryLock.TryAcquireAsync(database, locks, AdvisoryLockKeys.ServerNamespace, AdvisoryLockKeys.KeepAlivePass, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => locks.DisposeAsync();
}
