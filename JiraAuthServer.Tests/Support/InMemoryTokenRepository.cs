using System.Collections.Concurrent;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Tests.Support;

/// <summary>A dictionary behind <see cref="ITokenRepository"/> for Core tests, counting saves.</summary>
public sealed class InMemoryTokenRepository : ITokenRepository
{
    private readonly ConcurrentDictionary<long, StoredGrant> grants = new();
    private int saves;

    public int Saves => saves;

    public ValueTask<StoredGrant?> GetAsync(long telegramUserId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(grants.TryGetValue(telegramUserId, out var grant) ? grant : null);

    public async Task SaveAsync(long telegramUserId, StoredGrant grant, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Interlocked.Increment(ref saves);
        grants[telegramUserId] = grant;
    }

    public Task SaveManyAsync(IReadOnlyCollection<KeyValuePair<long, StoredGrant>> grants, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref saves);
        foreach (var (id, grant) in grants)
        {
            this.grants[id] = grant;
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(long telegramUserId, CancellationToken cancellationToken) =>
        Task.FromResult(grants.TryRemove(telegramUserId, out _));

    public Task<IReadOnlyList<KeyValuePair<long, StoredGrant>>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KeyValuePair<long, StoredGrant>>>(grants.ToList());

    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(grants.Count);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
