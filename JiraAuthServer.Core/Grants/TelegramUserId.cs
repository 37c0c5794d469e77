using System.Globalization;

namespace JiraAuthServer.Core.Grants;

/// <summary>Parses the Telegram user id as the API accepts it: a positive whole number that fits in 64 bits.</summary>
public static class TelegramUserId
{
    public const string FormatError = "telegram_user_id must be a positive whole number";

    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        // Digits checked first because the number parser lets trailing NULs through; as a span, with no enumerator,
        // since every /auth/token request parses its id twice (the action and the request line).
        if (string.IsNullOrEmpty(text) || text.Length > 19 || text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }
}
