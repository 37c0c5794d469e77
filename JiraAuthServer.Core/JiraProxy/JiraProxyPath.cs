using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.JiraProxy;

/// <summary>
/// Checks the raw request target of a <c>/jira/{telegram_user_id}/{path}</c> call before anything is sent to Jira.
/// The raw target, not the decoded path: the server decodes <c>%2e%2e</c> and removes dot segments before routing,
/// so a decoded path can look harmless while the bytes sent would climb out of <c>/ex/jira/{cloud_id}/rest/</c>.
/// The path is forwarded exactly as sent once it passes, so what is checked is what Jira receives.
/// </summary>
public static class JiraProxyPath
{
    public const string Prefix = "/jira/";

    /// <summary>A double- or triple-encoded <c>%2F</c> is decoded this many times before it is judged.</summary>
    private const int DecodingRounds = 4;

    public static JiraProxyPathResult Parse(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return JiraProxyPathResult.Invalid("The request target must be a path starting with /jira/ (no scheme or host)");
        }

        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var query = queryStart < 0 ? string.Empty : rawTarget[queryStart..];
        if (FirstUnsafeCharacter(rawTarget) is { } unsafeCharacter)
        {
            return JiraProxyPathResult.Invalid($"The request target has a character that must be percent-encoded ({unsafeCharacter})");
        }

        var rest = path[Prefix.Length..];
        var idEnd = rest.IndexOf('/', StringComparison.Ordinal);
        if (!TelegramUserId.TryParse(idEnd < 0 ? rest : rest[..idEnd], out var telegramUserId))
        {
            return JiraProxyPathResult.Invalid(TelegramUserId.FormatError);
        }

        var jiraPath = idEnd < 0 ? string.Empty : rest[(idEnd + 1)..];
        return CheckJiraPath(jiraPath) is { } error
            ? JiraProxyPathResult.Invalid(error)
            : JiraProxyPathResult.Valid(new JiraProxyTarget(telegramUserId, jiraPath, query));
    }

    private static string? CheckJiraPath(string path)
    {
        if (!path.StartsWith("rest/", StringComparison.Ordinal))
        {
            return "The Jira path must start with rest/ (e.g. /jira/{telegram_user_id}/rest/api/3/myself)";
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            return "The Jira path has an empty segment (//)";
        }

        foreach (var segment in path.Split('/'))
        {
            if (CheckSegment(segment) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Judges a segment as sent and after each round of percent-decoding, so no encoding hides a separator.</summary>
    private static string? CheckSegment(string segment)
    {
        var text = segment;
        for (var round = 0; round <= DecodingRounds; round++)
        {
            if (text is "." or "..")
            {
                return round == 0 ? "The Jira path has a . or .. segment" : "The Jira path has an encoded . or .. segment";
            }

            if (round > 0 && text.Contains('/', StringComparison.Ordinal))
            {
                return round == 1 ? "The Jira path has an encoded slash (%2F)" : "The Jira path has a multiply encoded slash (%252F)";
            }

            if (text.Contains('\\', StringComparison.Ordinal))
            {
                return round <= 1 ? "The Jira path has a backslash or an encoded one (%5C)" : "The Jira path has a multiply encoded backslash (%255C)";
            }

            if (text.Any(char.IsControl))
            {
                return "The Jira path has an encoded control character";
            }

            if (!text.Contains('%', StringComparison.Ordinal))
            {
                return null;
            }

            if (round == 0 && !IsWellFormedEncoding(text))
            {
                return "The Jira path has a % that does not start a percent-encoded byte (%XX)";
            }

            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                // Only percent signs that stand for themselves are left.
                return null;
            }

            text = decoded;
        }

        return "The Jira path is encoded too many times over";
    }

    private static bool IsWellFormedEncoding(string text)
    {
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Only printable ASCII is forwarded as it is; a space, a control character or a non-ASCII byte is named by its code.</summary>
    private static string? FirstUnsafeCharacter(string rawTarget)
    {
        foreach (var character in rawTarget)
        {
            if (character is <= ' ' or > '~' || character == '\\')
            {
                return character == '\\' ? "backslash" : $"U+{(int)character:X4}";
            }
        }

        return null;
    }
}
