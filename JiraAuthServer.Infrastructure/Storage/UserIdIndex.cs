using System.Collections.Immutable;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The stored Telegram ids in order, one sorted set per <see cref="GrantStatus"/>, so a page of the user listing costs
/// its own size (a search and a walk of the page), not a sort of every grant. The store's single writer keeps it
/// current, at a logarithmic cost per change; readers take the current immutable sets without a lock.
/// </summary>
internal sealed class UserIdIndex
{
    private ImmutableSortedSet<long> connected;
    private ImmutableSortedSet<long> reauthorizationRequired;

    public UserIdIndex(IEnumerable<KeyValuePair<long, StoredEntry>> entries)
    {
        var connectedIds = ImmutableSortedSet.CreateBuilder<long>();
        var deadIds = ImmutableSortedSet.CreateBuilder<long>();
        foreach (var (userId, entry) in entries)
        {
            (entry.Grant.NeedsReauthorization ? deadIds : connectedIds).Add(userId);
        }

        connected = connectedIds.ToImmutable();
        reauthorizationRequired = deadIds.ToImmutable();
    }

    /// <summary>Called by the single writer for each grant it stores or deletes (null: none).</summary>
    public void Changed(long userId, StoredGrant? before, StoredGrant? after)
    {
        if (before?.Status == after?.Status)
        {
            return;
        }

        if (before is not null)
        {
            Swap(before.Status, set => set.Remove(userId));
        }

        if (after is not null)
        {
            Swap(after.Status, set => set.Add(userId));
        }
    }

    /// <summary>
    /// The ids above <paramref name="afterUserId"/> in order, of one status or of both; lazily, so a page reads no more
    /// than it takes. A reader checks each id against the store: one removed or changed meanwhile may still be here.
    /// </summary>
    public IEnumerable<long> After(long afterUserId, GrantStatus? status) => status switch
    {
        GrantStatus.Connected => From(Volatile.Read(ref connected), afterUserId),
        GrantStatus.ReauthorizationRequired => From(Volatile.Read(ref reauthorizationRequired), afterUserId),
        _ => Merge(From(Volatile.Read(ref connected), afterUserId), From(Volatile.Read(ref reauthorizationRequired), afterUserId)),
    };

    private static IEnumerable<long> From(ImmutableSortedSet<long> ids, long afterUserId)
    {
        var found = ids.IndexOf(afterUserId);
        for (var index = found >= 0 ? found + 1 : ~found; index < ids.Count; index++)
        {
            yield return ids[index];
        }
    }

    private static IEnumerable<long> Merge(IEnumerable<long> first, IEnumerable<long> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        var hasA = a.MoveNext();
        var hasB = b.MoveNext();
        while (hasA || hasB)
        {
            if (hasA && hasB && a.Current == b.Current)
            {
                // Both sets were taken while the writer moved this user between them: listed once.
                yield return a.Current;
                hasA = a.MoveNext();
                hasB = b.MoveNext();
            }
            else if (hasA && (!hasB || a.Current < b.Current))
            {
                yield return a.Current;
                hasA = a.MoveNext();
            }
            else
            {
                yield return b.Current;
                hasB = b.MoveNext();
            }
        }
    }

    private void Swap(GrantStatus status, Func<ImmutableSortedSet<long>, ImmutableSortedSet<long>> change)
    {
        if (status == GrantStatus.ReauthorizationRequired)
        {
            Volatile.Write(ref reauthorizationRequired, change(reauthorizationRequired));
        }
        else
        {
            Volatile.Write(ref connected, change(connected));
        }
    }
}
