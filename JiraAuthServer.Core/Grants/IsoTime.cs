using System.Globalization;

namespace JiraAuthServer.Core.Grants;

/// <summary>
/// Timestamps as the API and the token file carry them: ISO 8601 with an offset. The old server wrote them without
/// an offset; those mean UTC.
/// </summary>
public static class IsoTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);
    }
}
