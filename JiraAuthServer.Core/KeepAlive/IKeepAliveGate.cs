namespace JiraAuthServer.Core.KeepAlive;

/// <summary>
/// Whether this instance runs the next keep-alive pass. The token file is served by one process, which therefore
/// always does; with a database shared by several instances exactly one of them should (for example while holding a
/// PostgreSQL advisory lock), or every quiet grant would be refreshed once per instance.
/// </summary>
public interface IKeepAliveGate
{
    /// <returns>A turn to dispose when the pass ends, or null when another instance runs this pass.</returns>
    Task<IAsyncDisposable?> TryEnterAsync(CancellationToken cancellationToken);
}
