using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Storage;

/// <summary>
/// Where grants live, keyed by Telegram user id. Reads are cheap; a write returns only once the grant is durable.
/// </summary>
/// <remarks>
/// <para>
/// <b>Revisions.</b> Every grant a store returns carries <see cref="StoredGrant.Revision"/>. A change of the grant
/// (<see cref="SaveAsync"/>, <see cref="ReplaceAsync"/>) gives it a new revision, higher than any the store handed out
/// before, so a revision is never reused for a user, not even after a delete and a new authorization. A copy that
/// does not change the grant (re-encryption, an import) keeps its revision (<see cref="ReencryptManyAsync"/>,
/// <see cref="SaveManyAsync"/>). Every conditional write compares revisions, never object identity or ciphertext:
/// the record one store instance returns and the one another returns are equal in revision whatever their identity.
/// </para>
/// <para>
/// The <see cref="StoredGrant.Revision"/> of a grant passed to <see cref="SaveAsync"/> or as a replacement is ignored.
/// </para>
/// </remarks>
public interface ITokenRepository
{
    ValueTask<StoredGrant?> GetAsync(long telegramUserId, CancellationToken cancellationToken);

    /// <summary>Stores the grant whole under a new revision (last write wins) and returns when it is durably stored.</summary>
    Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="replacement"/> under a new revision only if the user's stored grant still has the
    /// revision of <paramref name="expected"/> (as <see cref="GetAsync"/> returned it), checked atomically with every
    /// other change; returns when durably stored. A refresh that took seconds must not bring back a grant revoked
    /// meanwhile, nor overwrite a newer authorization; a re-encryption meanwhile does not count as a change.
    /// </summary>
    /// <returns>False, storing nothing, when the grant was changed or deleted since it was read.</returns>
    Task<bool> ReplaceAsync(long telegramUserId, StoredGrant expected, StoredGrant replacement, CancellationToken cancellationToken);

    /// <summary>
    /// Re-encrypted copies of stored grants (key rotation): each lands only while the stored grant still has the
    /// revision the copy carries, and keeps that revision. A grant changed meanwhile is left alone, so a concurrent
    /// refresh always wins; the caller reads it again and retries.
    /// </summary>
    /// <returns>The users whose grant was changed or deleted since it was read; nothing was written for them.</returns>
    Task<IReadOnlyList<long>> ReencryptManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken);

    /// <summary>
    /// Stores several grants as one atomic change (all or none), durably, each keeping the revision it carries; for
    /// copies between stores (import, export), not for changes.
    /// </summary>
    Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken);

    /// <returns>False when there was no grant for the user.</returns>
    Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken);

    /// <summary>Every stored grant; for maintenance passes (key rotation, keep-alive), not for requests.</summary>
    Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> grants of the users whose id is above <paramref name="afterUserId"/>, in id order
    /// (numerically), only those of <paramref name="status"/> when it is set. For a listing page by page: the cost is
    /// the page's, not the store's, and a user added or removed between two pages moves no other user across them.
    /// </summary>
    Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListPageAsync(long afterUserId, int limit, GrantStatus? status, CancellationToken cancellationToken);

    /// <summary>How many grants are stored; feeds the "grants stored" metric.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>True when the store can be read and written; drives <c>/health</c>. Cheap: no I/O on every call.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
