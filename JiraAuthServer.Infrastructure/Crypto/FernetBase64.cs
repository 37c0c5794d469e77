using System.Buffers;
using System.Buffers.Text;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// Url-safe base64 with <c>=</c> padding, decoded strictly: one canonical spelling per byte string.
/// </summary>
/// <remarks>
/// <see cref="Base64Url"/> alone would skip whitespace and accept missing padding; Python rejects missing padding,
/// and we reject the rest of its leniency too, so input is checked here before it is decoded.
/// </remarks>
internal static class FernetBase64
{
    private static readonly SearchValues<char> UrlSafeAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static int EncodedLength(int byteCount) => (byteCount + 2) / 3 * 4;

    public static int MaxDecodedLength(int charCount) => (charCount + 3) / 4 * 3;

    public static string Encode(ReadOnlySpan<byte> bytes) =>
        string.Create(EncodedLength(bytes.Length), bytes, static (chars, source) =>
        {
            int written = Base64Url.EncodeToChars(source, chars);
            chars[written..].Fill('=');
        });

    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!IsCanonical(text))
        {
            return false;
        }

        return Base64Url.DecodeFromChars(text, destination, out _, out bytesWritten) == OperationStatus.Done;
    }

    private static bool IsCanonical(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        int padding = text[^1] != '=' ? 0 : text[^2] != '=' ? 1 : 2;
        ReadOnlySpan<char> data = text[..^padding];
        if (data.ContainsAnyExcept(UrlSafeAlphabet))
        {
            return false;
        }

        // The bits of the last character that fall beyond the final byte must be zero, or two spellings decode alike.
        int unusedBitMask = padding switch { 1 => 0b11, 2 => 0b1111, _ => 0 };
        return (ValueOf(data[^1]) & unusedBitMask) == 0;
    }

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
