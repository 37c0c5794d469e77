namespace JiraAuthServer.Core.Tokens;

/// <summary>For a store only one process can serve: that process always runs the pass.</summary>
public sealed class InProcessKeepAlivePassLock : IKeepAlivePassLock
{
    public Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(NothingHeld.Instance);
}
