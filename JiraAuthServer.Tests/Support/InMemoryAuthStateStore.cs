using System.Collections.Concurrent;
using JiraAuthServer.Core.Authorization;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// Pending authorization states in a dictionary behind <see cref="IAuthStateStore"/> for Core tests. Expired states
/// are swept on every add, as the real stores drop them at every write.
/// </summary>
public sealed class InMemoryAuthStateStore(TimeProvider time) : IAuthStateStore
{
    private readonly ConcurrentDictionary<string, PendingAuthorization> states = new(StringComparer.Ordinal);

    public Task AddAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        SweepExpired();
        states[pending.State] = pending;
        return Task.CompletedTask;
    }

    public Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken) =>
        Task.FromResult(states.TryRemove(state, out var authorization) ? authorization : null);

    private void SweepExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (state, authorization) in states)
        {
            if (authorization.ExpiresAt <= now)
            {
                states.TryRemove(state, out _);
            }
        }
    }
}
