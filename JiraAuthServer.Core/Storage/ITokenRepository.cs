using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Storage;

/// <summary>
/// Where grants live, keyed by Telegram user id. Reads are cheap; a write returns only once the grant is durable.
/// </summary>
public interface ITokenRepository
{
    ValueTask<StoredGrant?> GetAsync(long telegramUserId, CancellationToken cancellationToken);

    /// <summary>Stores the grant whole (last write wins) and returns when it is durably stored.</summary>
    Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="replacement"/> only if the user's grant is still <paramref name="expected"/> (the record
    /// <see cref="GetAsync"/> returned), checked atomically with every other change; returns when durably stored.
    /// A refresh that took seconds must not bring back a grant revoked meanwhile, nor overwrite a newer authorization.
    /// </summary>
    /// <returns>False, storing nothing, when the grant was replaced or deleted since it was read.</returns>
    Task<bool> ReplaceAsync(long telegramUserId, StoredGrant expected, StoredGrant replacement, CancellationToken cancellationToken);

    /// <summary>Stores several grants as one atomic change (all or none), durably; for key rotation and imports.</summary>
    Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken);

    /// <returns>False when there was no grant for the user.</returns>
    Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken);

    /// <summary>Every stored grant; for maintenance passes (key rotation, keep-alive), not for requests.</summary>
    Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken);

    /// <summary>How many grants are stored; feeds the "grants stored" metric.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>True when the store can be read and written; drives <c>/health</c>.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
