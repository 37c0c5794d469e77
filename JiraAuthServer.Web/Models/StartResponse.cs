using Newtonsoft.Json;

namespace JiraAuthServer.Web.Models;

/// <summary>The link the bot shows as a button. <c>telegram_user_id</c> is a string, as the old server sent it.</summary>
public sealed record StartResponse(
    [property: JsonProperty("auth_url")] string AuthUrl,
    [property: JsonProperty("telegram_user_id")] string TelegramUserId,
    [property: JsonProperty("state")] string State);
