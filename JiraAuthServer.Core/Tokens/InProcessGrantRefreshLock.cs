namespace JiraAuthServer.Core.Tokens;

/// <summary>
/// For a store only one process can serve (the token file is locked by its server): the per-user single flight in
/// <see cref="GrantRefresher"/> is all the exclusion needed, so this lock holds nothing.
/// </summary>
public sealed class InProcessGrantRefreshLock : IGrantRefreshLock
{
    public Task<IAsyncDisposable> AcquireAsync(long telegramUserId, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NothingHeld.Instance);
}
