namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// One change waiting for the token store's writer, of an explicit kind. It is checked (for conditional kinds) and
/// numbered by the writer, in queue order, and completes once its journal lines are on disk.
/// </summary>
internal sealed class GrantChange
{
    private GrantChange(GrantChangeKind kind, IReadOnlyList<KeyValuePair<long, StoredEntry?>> items, long expectedRevision = 0)
    {
        Kind = kind;
        Items = items;
        ExpectedRevision = expectedRevision;
    }

    public GrantChangeKind Kind { get; }

    /// <summary>The users and their new entries (null: delete); one for every kind but the many-grant ones.</summary>
    public IReadOnlyList<KeyValuePair<long, StoredEntry?>> Items { get; }

    /// <summary>For <see cref="GrantChangeKind.Replace"/>: the revision the stored grant must still have.</summary>
    public long ExpectedRevision { get; }

    public TaskCompletionSource<GrantChangeResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static GrantChange Save(long userId, StoredEntry entry) => new(GrantChangeKind.Save, [KeyValuePair.Create(userId, (StoredEntry?)entry)]);

    public static GrantChange Replace(long userId, StoredEntry entry, long expectedRevision) =>
        new(GrantChangeKind.Replace, [KeyValuePair.Create(userId, (StoredEntry?)entry)], expectedRevision);

    public static GrantChange Delete(long userId) => new(GrantChangeKind.Delete, [KeyValuePair.Create(userId, (StoredEntry?)null)]);

    /// <summary>Copies that keep their revisions, all or none.</summary>
    public static GrantChange SaveMany(IReadOnlyList<KeyValuePair<long, StoredEntry?>> entries) => new(GrantChangeKind.SaveMany, entries);

    /// <summary>New ciphertexts for grants still at the revision they carry; the others are skipped.</summary>
    public static GrantChange Reencrypt(IReadOnlyList<KeyValuePair<long, StoredEntry?>> entries) => new(GrantChangeKind.Reencrypt, entries);
}
