using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// Fernet, byte-compatible with Python's <c>cryptography</c> (<c>MultiFernet</c> over the key ring).
/// Tokens at rest never expire, so <see cref="Decrypt(string)"/> checks no TTL.
/// </summary>
public sealed class FernetTokenCipher : ITokenCipher
{
    public const string NotUtf8Message = "decrypted token is not UTF-8 text";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FernetKeyRing _keys;
    private readonly TimeProvider _time;

    public FernetTokenCipher(FernetKeyRing keys)
        : this(keys, TimeProvider.System)
    {
    }

    public FernetTokenCipher(FernetKeyRing keys, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);
        _keys = keys;
        _time = time;
    }

    public FernetKeyRing Keys => _keys;

    /// <exception cref="EncryptionKeyException">The value is empty or a key in it is malformed.</exception>
    public static FernetTokenCipher FromEncryptionKey(string? encryptionKey, TimeProvider? time = null) =>
        new(FernetKeyRing.Parse(encryptionKey), time ?? TimeProvider.System);

    /// <exception cref="ArgumentException">The text holds a lone surrogate, which UTF-8 cannot carry.</exception>
    public string Encrypt(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(plaintext.Length));
        int length = 0;
        try
        {
            length = StrictUtf8.GetBytes(plaintext, buffer);
            Span<byte> iv = stackalloc byte[FernetToken.IvSize];
            RandomNumberGenerator.Fill(iv);
            return FernetToken.Seal(_keys.Primary, buffer.AsSpan(0, length), UnixSeconds(_time.GetUtcNow()), iv);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <exception cref="TokenDecryptionException">No key opens the token, or it does not hold UTF-8 text.</exception>
    public string Decrypt(string token)
    {
        using OpenedToken opened = Open(token, _keys.AsSpan(), ttlSeconds: null, nowUnixSeconds: 0);
        return Utf8Text(opened.Plaintext);
    }

    /// <summary>Opens a stored token from the bytes its base64 spells, when it is held that way: no text is made.</summary>
    /// <exception cref="TokenDecryptionException">No key opens the token, or it does not hold UTF-8 text.</exception>
    public string Decrypt(SealedText token)
    {
        if (!token.TryGetBase64Bytes(out var data))
        {
            return Decrypt(token.ToString());
        }

        using OpenedToken opened = OpenedToken.TryOpen(data, _keys.AsSpan(), ttlSeconds: null, nowUnixSeconds: 0, out OpenedToken decoded)
            ? decoded
            : throw new TokenDecryptionException();
        return Utf8Text(opened.Plaintext);
    }

    /// <summary>Whether a key opens the token and it holds UTF-8 text, as <see cref="Decrypt(SealedText)"/> needs, without making the text.</summary>
    public bool CanDecrypt(SealedText token)
    {
        if (!token.TryGetBase64Bytes(out var data))
        {
            // Not base64 at all, so no key can open it.
            return false;
        }

        bool opens = OpenedToken.TryOpen(data, _keys.AsSpan(), ttlSeconds: null, nowUnixSeconds: 0, out OpenedToken opened)
            && System.Text.Unicode.Utf8.IsValid(opened.Plaintext);
        opened.Dispose();
        return opens;
    }

    /// <summary>
    /// Re-encrypts with the primary key, keeping the original timestamp as Python's <c>MultiFernet.rotate</c> does.
    /// </summary>
    /// <exception cref="TokenDecryptionException">No key opens the token.</exception>
    public string Rotate(string token)
    {
        using OpenedToken opened = Open(token, _keys.AsSpan(), ttlSeconds: null, nowUnixSeconds: 0);
        return Reseal(opened);
    }

    /// <summary>As <see cref="Rotate"/>, but null when the primary key opens the token already: one opening decides both.</summary>
    /// <exception cref="TokenDecryptionException">No key opens the token.</exception>
    internal string? RotateUnlessPrimary(string token)
    {
        using OpenedToken opened = Open(token, _keys.AsSpan(), ttlSeconds: null, nowUnixSeconds: 0);
        return opened.KeyIndex == 0 ? null : Reseal(opened);
    }

    /// <summary>True when the primary key alone opens the token, i.e. <see cref="Rotate"/> has nothing to do.</summary>
    public bool IsEncryptedWithPrimaryKey(string token)
    {
        bool opens = OpenedToken.TryOpen(token, _keys.AsSpan()[..1], ttlSeconds: null, nowUnixSeconds: 0, out OpenedToken opened);
        opened.Dispose();
        return opens;
    }

    internal string Encrypt(ReadOnlySpan<byte> plaintext, DateTimeOffset now, ReadOnlySpan<byte> iv) =>
        FernetToken.Seal(_keys.Primary, plaintext, UnixSeconds(now), iv);

    /// <exception cref="TokenDecryptionException">No key opens the token within the TTL at <paramref name="now"/>.</exception>
    internal byte[] Decrypt(string token, long? ttlSeconds, DateTimeOffset now)
    {
        using OpenedToken opened = Open(token, _keys.AsSpan(), ttlSeconds, now.ToUnixTimeSeconds());
        return opened.Plaintext.ToArray();
    }

    private static OpenedToken Open(string token, ReadOnlySpan<FernetKey> keys, long? ttlSeconds, long nowUnixSeconds) =>
        OpenedToken.TryOpen(token, keys, ttlSeconds, nowUnixSeconds, out OpenedToken opened)
            ? opened
            : throw new TokenDecryptionException();

    private string Reseal(in OpenedToken opened)
    {
        Span<byte> iv = stackalloc byte[FernetToken.IvSize];
        RandomNumberGenerator.Fill(iv);
        return FernetToken.Seal(_keys.Primary, opened.Plaintext, opened.Timestamp, iv);
    }

    /// <exception cref="TokenDecryptionException">The plaintext is not UTF-8 text.</exception>
    private static string Utf8Text(ReadOnlySpan<byte> plaintext)
    {
        try
        {
            return StrictUtf8.GetString(plaintext);
        }
        catch (DecoderFallbackException)
        {
            throw new TokenDecryptionException(NotUtf8Message);
        }
    }

    private static ulong UnixSeconds(DateTimeOffset now)
    {
        long seconds = now.ToUnixTimeSeconds();
        return seconds >= 0 ? (ulong)seconds : throw new ArgumentOutOfRangeException(nameof(now), "Fernet cannot stamp a time before 1970");
    }
}
