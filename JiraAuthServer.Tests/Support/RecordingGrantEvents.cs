using System.Collections.Concurrent;
using JiraAuthServer.Core.Notifications;

namespace JiraAuthServer.Tests.Support;

/// <summary>Keeps every raised event, for assertions.</summary>
public sealed class RecordingGrantEvents : IGrantEvents
{
    private readonly ConcurrentQueue<GrantEvent> raised = new();

    public IReadOnlyList<GrantEvent> Raised => [.. raised];

    public void Raise(GrantEvent grantEvent) => raised.Enqueue(grantEvent);
}
