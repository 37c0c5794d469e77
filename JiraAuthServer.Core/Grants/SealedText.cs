using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace JiraAuthServer.Core.Grants;

/// <summary>
/// A stored token's text in as little memory as it allows. A Fernet token is url-safe base64 with padding: it is held
/// as the bytes it spells (a .NET string costs 2 bytes a character, the bytes 3/4 of one), which is what keeps 100,000
/// grants of 2–3 KB each in memory at all. Any other text is held as it is. <see cref="ToString"/> gives the exact text back.
/// </summary>
public readonly struct SealedText : IEquatable<SealedText>
{
    // Either the decoded bytes of canonical padded url-safe base64, or the text itself; null is the empty text.
    private readonly object? value;

    private SealedText(object? value) => this.value = value;

    public static SealedText Empty => default;

    /// <summary>The text's length in characters.</summary>
    public int Length => value switch
    {
        byte[] bytes => EncodedLength(bytes.Length),
        string text => text.Length,
        _ => 0,
    };

    /// <summary>True when the text is held as the bytes its base64 spells (see <see cref="TryGetBase64Bytes"/>).</summary>
    public bool IsBase64 => value is byte[];

    public static SealedText From(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return default;
        }

        return TryDecode(text, out var bytes) ? new SealedText(bytes) : new SealedText(text);
    }

    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    /// <summary>From UTF-8 text (a JSON string's raw value, say) without making a string when it is base64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SealedText FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return default;
        }

        if (utf8.Length % 4 == 0)
        {
            var padding = utf8[^1] != '=' ? 0 : utf8[^2] != '=' ? 1 : 2;
            var bytes = new byte[utf8.Length / 4 * 3 - padding];
            if (Base64Url.DecodeFromUtf8(utf8, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == bytes.Length && RoundTrips(bytes, utf8))
            {
                return new SealedText(bytes);
            }
        }

        return new SealedText(System.Text.Encoding.UTF8.GetString(utf8));
    }

    /// <summary>The bytes a base64 text spells; the text is exactly their url-safe base64 with '=' padding.</summary>
    public bool TryGetBase64Bytes(out ReadOnlySpan<byte> bytes)
    {
        if (value is byte[] array)
        {
            bytes = array;
            return true;
        }

        bytes = default;
        return false;
    }

    public override string ToString() => value switch
    {
        byte[] bytes => string.Create(EncodedLength(bytes.Length), bytes, static (chars, source) =>
        {
            var written = Base64Url.EncodeToChars(source, chars);
            chars[written..].Fill('=');
        }),
        string text => text,
        _ => string.Empty,
    };

    public bool Equals(SealedText other) => (value, other.value) switch
    {
        (null, null) => true,
        (byte[] mine, byte[] theirs) => mine.AsSpan().SequenceEqual(theirs),
        (string mine, string theirs) => string.Equals(mine, theirs, StringComparison.Ordinal),
        _ => false,
    };

    public override bool Equals(object? obj) => obj is SealedText other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        switch (value)
        {
            case byte[] bytes:
                hash.AddBytes(bytes);
                break;
            case string text:
                hash.Add(text, StringComparer.Ordinal);
                break;
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(SealedText left, SealedText right) => left.Equals(right);

    public static bool operator !=(SealedText left, SealedText right) => !left.Equals(right);

    private static int EncodedLength(int byteCount) => (byteCount + 2) / 3 * 4;

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0 || !Base64Url.IsValid(text, out var decodedLength))
        {
            return false;
        }

        bytes = new byte[decodedLength];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != decodedLength)
        {
            return false;
        }

        // Only a text that is exactly what encoding its bytes gives back (padding, no spaces, zero spare bits) is kept as bytes.
        Span<char> again = text.Length <= 4096 ? stackalloc char[text.Length] : new char[text.Length];
        var encoded = Base64Url.EncodeToChars(bytes, again);
        again[encoded..].Fill('=');
        return again.SequenceEqual(text);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RoundTrips(byte[] bytes, ReadOnlySpan<byte> utf8)
    {
        Span<byte> again = utf8.Length <= 4096 ? stackalloc byte[utf8.Length] : new byte[utf8.Length];
        var encoded = Base64Url.EncodeToUtf8(bytes, again);
        again[encoded..].Fill((byte)'=');
        return again.SequenceEqual(utf8);
    }
}
