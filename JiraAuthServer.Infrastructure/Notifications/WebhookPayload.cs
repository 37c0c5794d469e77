using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Notifications;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Notifications;

/// <summary>
/// The JSON body of a webhook call. The bytes are built once per event and sent unchanged on every try, so the
/// signature and <c>event_id</c> stay the same and the bot can drop a repeat.
/// </summary>
public static class WebhookPayload
{
    public static byte[] Serialize(GrantEvent grantEvent, string eventId)
    {
        ArgumentNullException.ThrowIfNull(grantEvent);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            writer.WriteStartObject();
            writer.WritePropertyName("event");
            writer.WriteValue(EventName(grantEvent.Kind));
            writer.WritePropertyName("telegram_user_id");
            writer.WriteValue(grantEvent.TelegramUserId);
            writer.WritePropertyName("jira_account_id");
            writer.WriteValue(grantEvent.JiraAccountId);
            if (grantEvent.ReauthorizationDueAt is { } dueAt)
            {
                writer.WritePropertyName("reauthorization_due_at");
                writer.WriteValue(IsoTime.Format(dueAt));
            }

            writer.WritePropertyName("occurred_at");
            writer.WriteValue(IsoTime.Format(grantEvent.OccurredAt));
            writer.WritePropertyName("event_id");
            writer.WriteValue(eventId);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string EventName(GrantEventKind kind) => kind switch
    {
        GrantEventKind.Authorized => "authorized",
        GrantEventKind.Revoked => "revoked",
        GrantEventKind.ReauthorizationRequired => "reauthorization_required",
        GrantEventKind.ReauthorizationDue => "reauthorization_due",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no event name"),
    };
}
