namespace JiraAuthServer.Core.Notifications;

/// <summary>
/// Where Core reports that a user's grant changed, so the bot can be told. Implementations must return at once:
/// callers are on the user's request path.
/// </summary>
public interface IGrantEvents
{
    void Raise(GrantEvent grantEvent);
}
