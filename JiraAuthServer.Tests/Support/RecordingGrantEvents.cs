using System.Collections.Concurrent;
using JiraAuthServer.Core.Notifications;

namespace JiraAuthServer.Tests.Support;

/// <summary>Keeps every raised event, for assertions.</summary>
public sealed class RecordingGrantEvents : IGrantEvents
{
    private readonly ConcurrentQueue<GrantEvent> raised = new();

    public IReadOnlyList<GrantEvent> Raised => [.. raised];

    /// <summary>What <see cref="Raise"/> answers: false plays a bot nobody configured or a full queue.</summary>
    public bool Accepts { get; set; } = true;

    public bool Raise(GrantEvent grantEvent)
    {
        if (Accepts)
        {
            raised.Enqueue(grantEvent);
        }

        return Accepts;
    }
}
