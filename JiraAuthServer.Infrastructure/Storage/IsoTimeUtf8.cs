using System.Runtime.CompilerServices;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The two timestamp spellings nearly every record has, read straight from UTF-8: this server's
/// <c>2025-03-01T10:20:30.123456+00:00</c> and the old server's <c>2025-03-01T10:20:30.123456</c> (UTC). Anything
/// else (another offset, "Z", a space, more digits) is left to <see cref="Core.Grants.IsoTime.TryParse"/>.
/// </summary>
internal static class IsoTimeUtf8
{
    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset time)
    {
        time = default;
        if (text.EndsWith("+00:00"u8))
        {
            text = text[..^6];
        }

        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !Number(text[..4], out var year) || !Number(text[5..7], out var month) || !Number(text[8..10], out var day)
            || !Number(text[11..13], out var hour) || !Number(text[14..16], out var minute) || !Number(text[17..19], out var second))
        {
            return false;
        }

        long fractionTicks = 0;
        if (text.Length > 19)
        {
            var fraction = text[20..];
            if (text[19] != '.' || fraction.Length is 0 or > 7 || !Number(fraction, out var digits))
            {
                return false;
            }

            fractionTicks = digits;
            for (var i = fraction.Length; i < 7; i++)
            {
                fractionTicks *= 10;
            }
        }

        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Number(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + digit - '0';
        }

        return true;
    }
}
