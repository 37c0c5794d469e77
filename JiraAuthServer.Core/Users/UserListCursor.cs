using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Users;

/// <summary>
/// The <c>next</c> cursor of <c>/auth/users</c>: base64url of the last listed Telegram id. Opaque to the caller, so
/// its content can change; a page after it starts with the next id still stored, whatever changed meanwhile.
/// </summary>
public static class UserListCursor
{
    // Base64Url.TryDecodeFromChars throws, rather than answering false, on a character outside the alphabet.
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Encode(long lastUserId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(lastUserId.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out long lastUserId)
    {
        lastUserId = 0;
        Span<byte> bytes = stackalloc byte[32];
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 40 || cursor.AsSpan().ContainsAnyExcept(Alphabet)
            || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written)
            || !Base64Url.EncodeToString(bytes[..written]).Equals(cursor, StringComparison.Ordinal))
        {
            return false;
        }

        return TelegramUserId.TryParse(Encoding.ASCII.GetString(bytes[..written]), out lastUserId);
    }
}
