namespace JiraAuthServer.Core.Notifications;

/// <summary>Used when no one listens (no <c>BOT_WEBHOOK_URL</c>).</summary>
public sealed class NoGrantEvents : IGrantEvents
{
    public bool Raise(GrantEvent grantEvent) => false;
}
