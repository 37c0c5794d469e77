namespace JiraAuthServer.Core.Notifications;

/// <summary>
/// Where Core reports that a user's grant changed, so the bot can be told. Implementations must return at once:
/// callers are on the user's request path.
/// </summary>
public interface IGrantEvents
{
    /// <returns>
    /// False when the event will not reach anyone: no bot listens, or the queue is full and it was dropped. A caller
    /// that remembers having told the bot (the re-authorization notice) marks nothing then, and tries again later.
    /// </returns>
    bool Raise(GrantEvent grantEvent);
}
