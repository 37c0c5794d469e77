using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// The token layout: <c>0x80 | u64 BE unix seconds | IV | AES-128-CBC(PKCS7) ciphertext | HMAC-SHA256 of all before</c>.
/// </summary>
internal static class FernetToken
{
    public const byte Version = 0x80;
    public const int IvSize = 16;
    public const int HmacSize = 32;
    public const int BlockSize = 16;
    public const int TimestampOffset = 1;
    public const int IvOffset = TimestampOffset + sizeof(ulong);
    public const int CiphertextOffset = IvOffset + IvSize;
    public const int MinLength = CiphertextOffset + BlockSize + HmacSize;

    /// <summary>Python accepts tokens stamped up to this far ahead of its clock when a TTL is checked.</summary>
    public const int MaxClockSkewSeconds = 60;

    public static string Seal(FernetKey key, ReadOnlySpan<byte> plaintext, ulong timestamp, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != IvSize)
        {
            throw new ArgumentException($"the IV must be {IvSize} bytes", nameof(iv));
        }

        int ciphertextLength = (plaintext.Length / BlockSize + 1) * BlockSize;
        int length = CiphertextOffset + ciphertextLength + HmacSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> token = buffer.AsSpan(0, length);
            token[0] = Version;
            BinaryPrimitives.WriteUInt64BigEndian(token[TimestampOffset..IvOffset], timestamp);
            iv.CopyTo(token[IvOffset..CiphertextOffset]);
            key.Primitives.EncryptCbc(plaintext, iv, token[CiphertextOffset..^HmacSize]);
            key.Primitives.Sign(token[..^HmacSize], token[^HmacSize..]);
            return FernetBase64.Encode(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Python's check, in arbitrary precision: the timestamp is a u64 and must not wrap.</summary>
    public static bool IsFresh(ulong timestamp, long ttlSeconds, long nowUnixSeconds)
    {
        Int128 stamped = timestamp;
        Int128 now = nowUnixSeconds;
        return stamped + ttlSeconds >= now && now + MaxClockSkewSeconds >= stamped;
    }

    /// <summary>Checks the HMAC in constant time, then decrypts and unpads; false on any mismatch.</summary>
    public static bool TryOpenWith(FernetKey key, ReadOnlySpan<byte> token, Span<byte> plaintext, out int bytesWritten)
    {
        bytesWritten = 0;
        Span<byte> expectedHmac = stackalloc byte[HmacSize];
        key.Primitives.Sign(token[..^HmacSize], expectedHmac);
        if (!CryptographicOperations.FixedTimeEquals(expectedHmac, token[^HmacSize..]))
        {
            return false;
        }

        return key.Primitives.TryDecryptCbc(token[CiphertextOffset..^HmacSize], token[IvOffset..CiphertextOffset], plaintext, out bytesWritten);
    }

    public static bool HasValidLayout(ReadOnlySpan<byte> token) =>
        token.Length >= MinLength && (token.Length - CiphertextOffset - HmacSize) % BlockSize == 0;
}
