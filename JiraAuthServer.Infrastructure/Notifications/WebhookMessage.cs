using JiraAuthServer.Core.Notifications;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>An event as it goes to the bot: the same bytes and signature on every try, so its <c>event_id</c> lets the bot drop a repeat.</summary>
internal sealed record WebhookMessage(GrantEvent Event, byte[] Body, string Signature)
{
    public string Name => WebhookPayload.EventName(Event.Kind);

    public static WebhookMessage For(GrantEvent grantEvent, string secret)
    {
        var body = WebhookPayload.Serialize(grantEvent, Guid.NewGuid().ToString("N"));
        return new WebhookMessage(grantEvent, body, WebhookSignature.Sign(body, secret));
    }
}
