namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Saves (with their new entries) and deletes (no entry) waiting for the writer as one unit: they reach the disk in
/// the same file replacement, so a multi-grant change is all or nothing. Completes once durable.
/// </summary>
internal sealed class PendingChange(IReadOnlyList<KeyValuePair<long, StoredEntry?>> items)
{
    public PendingChange(long telegramUserId, StoredEntry? entry)
        : this([KeyValuePair.Create(telegramUserId, entry)])
    {
    }

    public IReadOnlyList<KeyValuePair<long, StoredEntry?>> Items { get; } = items;

    /// <summary>Result: whether the (first) user had a grant just before this change.</summary>
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
