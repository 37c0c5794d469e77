using System.Threading.Channels;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The single writer of a file-backed store: changes queue up while a write is flushing and the next write commits
/// them all at once (group commit), so many concurrent changes cost a few fsyncs rather than one each.
/// </summary>
internal sealed class GroupCommitQueue<TChange>
{
    private readonly Channel<TChange> changes = Channel.CreateUnbounded<TChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    /// <param name="commit">Writes one batch and completes each of its changes; runs on one thread at a time.</param>
    public GroupCommitQueue(Action<List<TChange>> commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        writer = Task.Run(() => CommitBatchesAsync(commit));
    }

    /// <summary>False once <see cref="CompleteAsync"/> was called: the change is not queued.</summary>
    public bool TryEnqueue(TChange change) => changes.Writer.TryWrite(change);

    /// <summary>Refuses new changes and returns once everything already queued is committed.</summary>
    public Task CompleteAsync()
    {
        changes.Writer.TryComplete();
        return writer;
    }

    private async Task CommitBatchesAsync(Action<List<TChange>> commit)
    {
        var reader = changes.Reader;
        var batch = new List<TChange>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var change))
            {
                batch.Add(change);
            }

            commit(batch);
            batch.Clear();
        }
    }
}
