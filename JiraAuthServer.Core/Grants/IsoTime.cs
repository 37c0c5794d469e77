using System.Globalization;

namespace JiraAuthServer.Core.Grants;

/// <summary>
/// Timestamps as the API and the token file carry them: ISO 8601 with an offset. The old server wrote them without
/// an offset; those mean UTC.
/// </summary>
public static class IsoTime
{
    /// <summary>The format <see cref="Format"/> writes by hand: up to six fraction digits, trailing zeros dropped.</summary>
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz";

    private const string Utc = "+00:00";

    /// <summary>
    /// What <see cref="Pattern"/> gives for the UTC time, written digit by digit: every token and status answer
    /// carries one or two, and the custom-format parser costs several times the writing.
    /// </summary>
    public static string Format(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10);
        var digits = 6;
        while (digits > 0 && fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        var length = 19 + (digits > 0 ? digits + 1 : 0) + Utc.Length;
        return string.Create(length, (utc, fraction, digits), static (text, state) =>
        {
            var (utc, fraction, digits) = state;
            Digits(text[..4], utc.Year);
            text[4] = '-';
            Digits(text.Slice(5, 2), utc.Month);
            text[7] = '-';
            Digits(text.Slice(8, 2), utc.Day);
            text[10] = 'T';
            Digits(text.Slice(11, 2), utc.Hour);
            text[13] = ':';
            Digits(text.Slice(14, 2), utc.Minute);
            text[16] = ':';
            Digits(text.Slice(17, 2), utc.Second);
            if (digits > 0)
            {
                text[19] = '.';
                Digits(text.Slice(20, digits), fraction);
            }

            Utc.AsSpan().CopyTo(text[^Utc.Length..]);
        });
    }

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);
    }

    private static void Digits(Span<char> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
