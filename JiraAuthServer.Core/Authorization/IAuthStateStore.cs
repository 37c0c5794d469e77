namespace JiraAuthServer.Core.Authorization;

/// <summary>Remembers issued OAuth states until they are used once or expire.</summary>
public interface IAuthStateStore
{
    Task AddAsync(PendingAuthorization pending, CancellationToken cancellationToken);

    /// <summary>Removes and returns the state in one step, so a state can be used only once. Null when unknown.</summary>
    Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken);
}
