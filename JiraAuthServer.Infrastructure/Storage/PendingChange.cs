using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Saves (with their new entries) and deletes (no entry) waiting for the writer as one unit: they reach the disk in
/// the same file replacement, so a multi-grant change is all or nothing. Completes once durable.
/// </summary>
internal sealed class PendingChange(IReadOnlyList<KeyValuePair<long, StoredEntry?>> items, StoredGrant? expected = null)
{
    public PendingChange(long telegramUserId, StoredEntry? entry, StoredGrant? expected = null)
        : this([KeyValuePair.Create(telegramUserId, entry)], expected)
    {
    }

    public IReadOnlyList<KeyValuePair<long, StoredEntry?>> Items { get; } = items;

    /// <summary>When set, the (single) change applies only if the user's grant is still this very record.</summary>
    public StoredGrant? Expected { get; } = expected;

    /// <summary>
    /// Result: whether the (first) user had a grant just before this change; for a conditional change, whether it
    /// was applied.
    /// </summary>
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
