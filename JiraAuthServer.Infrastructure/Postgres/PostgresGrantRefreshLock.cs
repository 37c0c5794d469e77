using System.Globalization;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Core.Tokens;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// One refresh per user across every server process on the database: a session advisory lock keyed by the user,
/// held from the re-read through the call to Atlassian to the save. A waiter gives up (503) after the longest a
/// refresh can take plus a margin.
/// </summary>
public sealed class PostgresGrantRefreshLock : IGrantRefreshLock, IAsyncDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private readonly PostgresDatabase database;
    private readonly NpgsqlDataSource locks;

    public PostgresGrantRefreshLock(PostgresDatabase database, IOptions<AtlassianOptions> atlassian)
        : this(database, (atlassian ?? throw new ArgumentNullException(nameof(atlassian))).Value.RequestTimeout + Margin)
    {
    }

    internal PostgresGrantRefreshLock(PostgresDatabase database, TimeSpan waitLimit)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
        WaitLimit = waitLimit;
        locks = database.CreateLockSource();
    }

    public TimeSpan WaitLimit { get; }

    public async Task<IAsyncDisposable> AcquireAsync(long telegramUserId, CancellationToken cancellationToken) =>
        await AdvisoryLock.AcquireAsync(
            database,
            locks,
            AdvisoryLockKeys.RefreshNamespace,
            AdvisoryLockKeys.ForUser(telegramUserId),
            WaitLimit,
            () => string.Create(CultureInfo.InvariantCulture, $"Waited more than {WaitLimit.TotalSeconds:0} s for the refresh lock of user {telegramUserId}: another server is still refreshing it"),
            cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => locks.DisposeAsync();
}
