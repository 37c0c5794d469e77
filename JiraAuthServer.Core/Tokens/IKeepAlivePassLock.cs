namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// Lets one server process at a time run the keep-alive pass over all grants; the others skip their turn instead of
/// refreshing the same grants again.
/// </summary>
public interface IKeepAlivePassLock
{
    /// <summary>The pass lock, released by disposing it; null when another process is running the pass now.</summary>
    /// <exception cref="Storage.TokenStoreException">The store could not be reached.</exception>
    Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken);
}
