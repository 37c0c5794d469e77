using JiraAuthServer.Core.KeepAlive;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The token file is locked by the one process that serves it (<see cref="FileLock"/>), so that process always runs
/// the keep-alive pass. A store shared by several instances needs a gate that lets only one of them through.
/// </summary>
public sealed class SingleProcessKeepAliveGate : IKeepAliveGate
{
    public Task<IAsyncDisposable?> TryEnterAsync(CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(Turn.Instance);

    private sealed class Turn : IAsyncDisposable
    {
        public static readonly Turn Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
