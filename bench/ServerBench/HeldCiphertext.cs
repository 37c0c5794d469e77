using System.Buffers.Text;
using System.Text.Json;

namespace ServerBench;

/// <summary>
/// The bytes of token ciphertext the file store keeps in memory for a token file: every access and refresh token is
/// held as the bytes its url-safe base64 spells (see SealedText), so this is the sum of their decoded lengths.
/// </summary>
internal static class HeldCiphertext
{
    public static long Bytes(string tokenFile)
    {
        using var file = File.OpenRead(tokenFile);
        var buffer = new byte[1 << 20];
        var filled = 0;
        var state = new JsonReaderState();
        long total = 0;
        // Whether the value to come is a token's: its name may end one block and its value begin the next.
        var isToken = false;
        bool last;
        do
        {
            var read = file.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            last = read == 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), last, state);
            total += Sum(ref reader, ref isToken);
            var consumed = (int)reader.BytesConsumed;
            if (consumed == 0 && filled == buffer.Length)
            {
                // One value longer than the buffer: grow it and read on.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            state = reader.CurrentState;
        }
        while (!last);

        return total;
    }

    private static long Sum(ref Utf8JsonReader reader, ref bool isToken)
    {
        long total = 0;
        while (reader.Read())
        {
            // The file is { "<user id>": { "access_token": "...", "refresh_token": "...", ... }, ... }.
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                isToken = reader.CurrentDepth == 2 && (reader.ValueTextEquals("access_token") || reader.ValueTextEquals("refresh_token"));
            }
            else if (isToken)
            {
                total += DecodedLength(reader.ValueSpan);
                isToken = false;
            }
        }

        return total;
    }

    private static int DecodedLength(ReadOnlySpan<byte> utf8) =>
        Base64Url.IsValid(utf8, out var length)
            ? length
            : throw new InvalidOperationException("a token in the seeded file is not url-safe base64: the store would hold it as text, not as bytes");
}
