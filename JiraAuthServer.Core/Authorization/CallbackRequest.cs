namespace JiraAuthServer.Core.Authorization;

/// <summary>What Atlassian sent the browser back with: a code and state, or an error such as <c>access_denied</c>.</summary>
public sealed record CallbackRequest(string? Code, string? State, string? Error)
{
    /// <summary>Where the browser's request came from, for the audit line of a failed or rejected callback.</summary>
    public string? ClientAddress { get; init; }
}
