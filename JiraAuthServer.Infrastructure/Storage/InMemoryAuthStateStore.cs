using System.Collections.Concurrent;
using JiraAuthServer.Core.Authorization;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Pending authorization states in memory. Expired states are swept on every issue, so the set stays bounded by
/// what the API key holder issued within one state lifetime.
/// </summary>
public sealed class InMemoryAuthStateStore(TimeProvider time) : IAuthStateStore
{
    private readonly ConcurrentDictionary<string, PendingAuthorization> pending = new(StringComparer.Ordinal);

    public Task AddAsync(PendingAuthorization authorization, CancellationToken cancellationToken)
    {
        SweepExpired();
        pending[authorization.State] = authorization;
        return Task.CompletedTask;
    }

    public Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken) =>
        Task.FromResult(pending.TryRemove(state, out var authorization) ? authorization : null);

    private void SweepExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (state, authorization) in pending)
        {
            if (authorization.ExpiresAt <= now)
            {
                pending.TryRemove(state, out _);
            }
        }
    }
}
