using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// A growable UTF-8 buffer that writes JSON text the way the token file spells it (Newtonsoft with
/// <c>EscapeNonAscii</c>, which Python's <c>json</c> reads back): ASCII only, everything else as <c>\uXXXX</c>.
/// </summary>
internal sealed class EntryBuffer
{
    private const string Hex = "0123456789abcdef";
    private byte[] bytes = new byte[8192];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Ascii(ReadOnlySpan<byte> text) => text.CopyTo(Take(text.Length));

    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Number(long value)
    {
        var room = Take(20);
        value.TryFormat(room, out var written, default, CultureInfo.InvariantCulture);
        Length -= 20 - written;
    }

    /// <summary>A JSON string (with its quotes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void String(string value)
    {
        Ascii("\""u8);
        var room = Take(value.Length * 6);
        var written = 0;
        foreach (var c in value)
        {
            written += Escape(c, room[written..]);
        }

        Length -= value.Length * 6 - written;
        Ascii("\""u8);
    }

    /// <summary>JSON text as it is, only its non-ASCII characters as \\uXXXX (JSON text has no other character to escape).</summary>
    public void Json(string json)
    {
        var room = Take(json.Length * 6);
        var written = 0;
        foreach (var c in json)
        {
            if (c < (char)0x80)
            {
                room[written++] = (byte)c;
            }
            else
            {
                written += Escape(c, room[written..]);
            }
        }

        Length -= json.Length * 6 - written;
    }

    /// <summary>A token as a JSON string: its base64 written from the bytes it is held as, or its text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Token(SealedText token)
    {
        if (!token.TryGetBase64Bytes(out var data))
        {
            String(token.ToString());
            return;
        }

        Ascii("\""u8);
        Base64(data);
        Ascii("\""u8);
    }

    /// <summary>The url-safe base64 of <paramref name="data"/> with '=' padding, no quotes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Base64(ReadOnlySpan<byte> data)
    {
        var length = (data.Length + 2) / 3 * 4;
        var room = Take(length);
        var written = Base64Url.EncodeToUtf8(data, room);
        room[written..].Fill((byte)'=');
    }

    /// <summary>As <see cref="IsoTime.Format"/> writes it (UTC, up to 6 fraction digits, "+00:00"), without a string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Time(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var room = Take(34);
        room[0] = (byte)'"';
        Digits(room[1..5], utc.Year);
        room[5] = (byte)'-';
        Digits(room[6..8], utc.Month);
        room[8] = (byte)'-';
        Digits(room[9..11], utc.Day);
        room[11] = (byte)'T';
        Digits(room[12..14], utc.Hour);
        room[14] = (byte)':';
        Digits(room[15..17], utc.Minute);
        room[17] = (byte)':';
        Digits(room[18..20], utc.Second);
        var used = 20;

        // "FFFFFF": the first six of the seven tick digits, trailing zeros dropped, no point when nothing is left.
        var micro = (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10);
        if (micro != 0)
        {
            var digits = 6;
            while (micro % 10 == 0)
            {
                micro /= 10;
                digits--;
            }

            room[used++] = (byte)'.';
            Digits(room.Slice(used, digits), micro);
            used += digits;
        }

        "+00:00\""u8.CopyTo(room[used..]);
        used += 7;
        Length -= 34 - used;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Escape(char c, Span<byte> destination)
    {
        if (c is >= ' ' and < (char)0x80 and not '"' and not '\\')
        {
            destination[0] = (byte)c;
            return 1;
        }

        var shortForm = c switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\t' => 't',
            '\n' => 'n',
            '\f' => 'f',
            '\r' => 'r',
            _ => '\0',
        };
        destination[0] = (byte)'\\';
        if (shortForm != '\0')
        {
            destination[1] = (byte)shortForm;
            return 2;
        }

        destination[1] = (byte)'u';
        destination[2] = (byte)Hex[(c >> 12) & 0xF];
        destination[3] = (byte)Hex[(c >> 8) & 0xF];
        destination[4] = (byte)Hex[(c >> 4) & 0xF];
        destination[5] = (byte)Hex[c & 0xF];
        return 6;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<byte> Take(int count)
    {
        if (Length + count > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, Length + count));
        }

        var room = bytes.AsSpan(Length, count);
        Length += count;
        return room;
    }
}
