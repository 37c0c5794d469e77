using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// A dictionary behind <see cref="ITokenRepository"/> for Core unit tests, counting saves, with failing writes on
/// demand. It numbers revisions as the real stores do and hands out a new object on every read, as PostgreSQL does,
/// so code that compares records by identity fails here too.
/// </summary>
public sealed class InMemoryTokenRepository : ITokenRepository
{
    private readonly Dictionary<long, StoredGrant> grants = [];
    private readonly Lock gate = new();
    private long lastRevision;
    private int saves;
    private int failedWrites;

    public int Saves => Volatile.Read(ref saves);

    /// <summary>Writes refused because of <see cref="FailWrites"/>.</summary>
    public int FailedWrites => Volatile.Read(ref failedWrites);

    /// <summary>When set, every write fails with this exception and changes nothing, as a full disk does.</summary>
    public Exception? FailWrites { get; set; }

    /// <summary>The stored grant, read synchronously for polling conditions.</summary>
    public StoredGrant? Peek(long telegramUserId)
    {
        lock (gate)
        {
            return grants.GetValueOrDefault(telegramUserId) is { } grant ? grant with { } : null;
        }
    }

    public ValueTask<StoredGrant?> GetAsync(long telegramUserId, CancellationToken cancellationToken) => ValueTask.FromResult(Peek(telegramUserId));

    public async Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Write(() => grants[telegramUserId] = grant with { Revision = ++lastRevision });
    }

    /// <summary>Runs once at the start of the next <see cref="ReplaceAsync"/>, to land a change between a read and a conditional write.</summary>
    public Func<Task>? BeforeNextReplace { get; set; }

    public async Task<bool> ReplaceAsync(long telegramUserId, StoredGrant expected, StoredGrant replacement, CancellationToken cancellationToken)
    {
        if (BeforeNextReplace is { } before)
        {
            BeforeNextReplace = null;
            await before();
        }

        await Task.Yield();
        lock (gate)
        {
            if (grants.GetValueOrDefault(telegramUserId)?.Revision != expected.Revision)
            {
                return false;
            }

            Write(() => grants[telegramUserId] = replacement with { Revision = ++lastRevision });
            return true;
        }
    }

    public Task<IReadOnlyList<long>> ReencryptManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        var skipped = new List<long>();
        Write(() =>
        {
            foreach (var (id, grant) in grants)
            {
                if (this.grants.GetValueOrDefault(id)?.Revision == grant.Revision)
                {
                    this.grants[id] = grant;
                }
                else
                {
                    skipped.Add(id);
                }
            }
        });
        return Task.FromResult<IReadOnlyList<long>>(skipped);
    }

    public Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        Write(() =>
        {
            foreach (var (id, grant) in grants)
            {
                this.grants[id] = grant;
                lastRevision = Math.Max(lastRevision, grant.Revision);
            }
        });
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken)
    {
        var removed = false;
        Write(() => removed = grants.Remove(telegramUserId), countsAsSave: false);
        return Task.FromResult(removed);
    }

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<KeyValuePair<long, StoredGrant>>>([.. grants.Select(pair => KeyValuePair.Create(pair.Key, pair.Value with { }))]);
        }
    }

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListPageAsync(long afterUserId, int limit, GrantStatus? status, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<KeyValuePair<long, StoredGrant>>>([.. grants
                .Where(pair => pair.Key > afterUserId && (status is null || pair.Value.Status == status))
                .OrderBy(pair => pair.Key)
                .Take(limit)
                .Select(pair => KeyValuePair.Create(pair.Key, pair.Value with { }))]);
        }
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(grants.Count);
        }
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(FailWrites is null);

    private void Write(Action change, bool countsAsSave = true)
    {
        lock (gate)
        {
            if (FailWrites is { } failure)
            {
                failedWrites++;
                throw failure;
            }

            change();
            saves += countsAsSave ? 1 : 0;
        }
    }
}
