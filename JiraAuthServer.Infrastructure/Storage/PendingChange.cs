namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>A save (with its new entry) or a delete (no entry) waiting for the writer; completes once durable.</summary>
internal sealed class PendingChange(long telegramUserId, StoredEntry? entry)
{
    public long TelegramUserId { get; } = telegramUserId;

    public StoredEntry? Entry { get; } = entry;

    /// <summary>Result: whether the user had a grant just before this change.</summary>
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
