using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// A verified, decrypted token whose plaintext lives in a pooled buffer; dispose it to wipe and return the buffer.
/// </summary>
internal ref struct OpenedToken
{
    private byte[]? _buffer;
    private int _plaintextStart;
    private int _plaintextCapacity;

    public ReadOnlySpan<byte> Plaintext { get; private set; }

    public ulong Timestamp { get; private set; }

    /// <summary>Which key of the ring opened it (0 = the primary key).</summary>
    public int KeyIndex { get; private set; }

    /// <summary>Verifies in the spec's order: decode, version, timestamp (only with a TTL), HMAC, decrypt, unpad.</summary>
    public static bool TryOpen(string? token, ReadOnlySpan<FernetKey> keys, long? ttlSeconds, long nowUnixSeconds, out OpenedToken opened)
    {
        opened = default;
        int maxLength = FernetBase64.MaxDecodedLength(token?.Length ?? 0);
        if (token is null || maxLength < FernetToken.MinLength)
        {
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(maxLength * 2);
        if (!FernetBase64.TryDecode(token, buffer.AsSpan(0, maxLength), out int length))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        return TryOpenDecoded(buffer.AsSpan(0, length), buffer, maxLength, maxLength, keys, ttlSeconds, nowUnixSeconds, out opened);
    }

    /// <summary>The same for a token already decoded from its base64 (as the store holds it).</summary>
    public static bool TryOpen(ReadOnlySpan<byte> data, ReadOnlySpan<FernetKey> keys, long? ttlSeconds, long nowUnixSeconds, out OpenedToken opened)
    {
        opened = default;
        if (data.Length < FernetToken.MinLength)
        {
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        return TryOpenDecoded(data, buffer, 0, data.Length, keys, ttlSeconds, nowUnixSeconds, out opened);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            Plaintext = default;
            Release(buffer, _plaintextStart, _plaintextCapacity);
        }
    }

    private static bool TryOpenDecoded(ReadOnlySpan<byte> data, byte[] buffer, int plaintextStart, int plaintextCapacity, ReadOnlySpan<FernetKey> keys, long? ttlSeconds, long nowUnixSeconds, out OpenedToken opened)
    {
        opened = default;
        Span<byte> plaintext = buffer.AsSpan(plaintextStart, plaintextCapacity);
        if (data.Length > FernetToken.IvOffset && data[0] == FernetToken.Version)
        {
            ulong timestamp = BinaryPrimitives.ReadUInt64BigEndian(data[FernetToken.TimestampOffset..FernetToken.IvOffset]);
            bool fresh = ttlSeconds is not { } ttl || FernetToken.IsFresh(timestamp, ttl, nowUnixSeconds);
            if (fresh && FernetToken.HasValidLayout(data))
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    if (FernetToken.TryOpenWith(keys[i], data, plaintext, out int written))
                    {
                        opened = new OpenedToken
                        {
                            _buffer = buffer,
                            _plaintextStart = plaintextStart,
                            _plaintextCapacity = plaintextCapacity,
                            Plaintext = plaintext[..written],
                            Timestamp = timestamp,
                            KeyIndex = i,
                        };
                        return true;
                    }
                }
            }
        }

        Release(buffer, plaintextStart, plaintextCapacity);
        return false;
    }

    private static void Release(byte[] buffer, int plaintextStart, int plaintextCapacity)
    {
        // A failed unpad may leave decrypted bytes behind too, so the whole plaintext part is wiped.
        CryptographicOperations.ZeroMemory(buffer.AsSpan(plaintextStart, plaintextCapacity));
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
