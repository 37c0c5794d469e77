using JiraAuthServer.Core.Authorization;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>One queued add or take of the pending states, completed once the journal holds its effect.</summary>
internal sealed class AuthStateChange
{
    private AuthStateChange(string digest, PendingAuthorization? added)
    {
        Digest = digest;
        Added = added;
    }

    public string Digest { get; }

    /// <summary>The state to add; null for a take.</summary>
    public PendingAuthorization? Added { get; }

    public TaskCompletionSource<PendingAuthorization?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static AuthStateChange Add(string digest, PendingAuthorization pending) => new(digest, pending);

    public static AuthStateChange Take(string digest) => new(digest, added: null);
}
