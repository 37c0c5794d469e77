using System.IO.Hashing;

namespace JiraAuthServer.Infrastructure.Storage.Journal;

/// <summary>
/// Lays out journal lines in a buffer: <c>{"seq": N, ...payload..., "crc32": "xxxxxxxx"}</c> and a newline. The
/// checksum is the CRC-32 of every byte of the line before <c>, "crc32"</c>, so a torn or damaged line is told apart
/// from a whole one; the rest is plain JSON a person can read.
/// </summary>
internal sealed class JournalLineWriter
{
    /// <summary><c>, "crc32": "</c>, eight hex digits, <c>"}</c>.</summary>
    public const int SuffixLength = 22;

    private static readonly byte[] SuffixStart = ", \"crc32\": \""u8.ToArray();

    private static readonly System.Buffers.SearchValues<byte> LowerHexDigits = System.Buffers.SearchValues.Create("0123456789abcdef"u8);

    private int lineStart;

    public EntryBuffer Buffer { get; } = new();

    /// <summary>Lines written since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    public void Clear()
    {
        Buffer.Clear();
        Count = 0;
    }

    /// <summary>Starts a line; the payload follows as <c>, "name": value</c> items.</summary>
    public void Begin(long sequence)
    {
        lineStart = Buffer.Length;
        Buffer.Ascii("{\"seq\": "u8);
        Buffer.Number(sequence);
    }

    public void End()
    {
        var crc = Crc32.HashToUInt32(Buffer.Written[lineStart..]);
        Buffer.Ascii(SuffixStart);
        Span<byte> hex = stackalloc byte[8];
        crc.TryFormat(hex, out _, "x8", System.Globalization.CultureInfo.InvariantCulture);
        Buffer.Ascii(hex);
        Buffer.Ascii("\"}\n"u8);
        Count++;
    }

    /// <summary>Whether <paramref name="line"/> (without its newline) ends with the checksum of what precedes it.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> line)
    {
        if (line.Length < SuffixLength + 2 || !line[^SuffixLength..].StartsWith(SuffixStart) || !line.EndsWith("\"}"u8))
        {
            return false;
        }

        var body = line[..^SuffixLength];
        var digits = line[^(SuffixLength - SuffixStart.Length)..^2];
        return !digits.ContainsAnyExcept(LowerHexDigits)
            && System.Buffers.Text.Utf8Parser.TryParse(digits, out uint stored, out var consumed, 'x')
            && consumed == 8 && stored == Crc32.HashToUInt32(body);
    }
}
