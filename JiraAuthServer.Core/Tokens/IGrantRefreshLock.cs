namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Makes a refresh exclusive across every server process that shares the store, so a rotating refresh token is
/// used once. Within one process <see cref="GrantRefresher"/> already lets only one refresh per user run.
/// </summary>
public interface IGrantRefreshLock
{
    /// <summary>Waits until this process holds the user's refresh lock; disposing the result releases it.</summary>
    /// <exception cref="Storage.TokenStoreException">The lock could not be taken (store unreachable, waited too long).</exception>
    Task<IAsyncDisposable> AcquireAsync(long telegramUserId, CancellationToken cancellationToken);
}
