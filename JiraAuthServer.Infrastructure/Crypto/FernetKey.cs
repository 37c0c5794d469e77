using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// One Fernet key: 16 bytes that sign (HMAC-SHA256), then 16 bytes that encrypt (AES-128), written as url-safe base64.
/// </summary>
public sealed class FernetKey
{
    public const int Size = 32;
    public const int EncodedLength = 44;
    public const string FormatError = "is not 32 bytes of url-safe base64";

    private const int HalfSize = Size / 2;

    private FernetKey(ReadOnlySpan<byte> keyBytes)
    {
        Primitives = new FernetPrimitivePool(keyBytes[..HalfSize], keyBytes[HalfSize..]);
    }

    internal FernetPrimitivePool Primitives { get; }

    public static FernetKey Generate()
    {
        Span<byte> keyBytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(keyBytes);
        FernetKey key = new(keyBytes);
        CryptographicOperations.ZeroMemory(keyBytes);
        return key;
    }

    /// <exception cref="EncryptionKeyException">The text is not a Fernet key.</exception>
    public static FernetKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out FernetKey? key) ? key : throw new EncryptionKeyException($"the key {FormatError}");
    }

    /// <summary>
    /// Accepts the url-safe alphabet and, as Python's <c>Fernet</c> does, the standard one (<c>+</c>, <c>/</c>),
    /// so a key made with <c>openssl rand -base64 32</c> for the Python server keeps working; padding is required.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out FernetKey? key)
    {
        key = null;
        if (text.Length != EncodedLength)
        {
            return false;
        }

        Span<char> urlSafe = stackalloc char[EncodedLength];
        text.CopyTo(urlSafe);
        urlSafe.Replace('+', '-');
        urlSafe.Replace('/', '_');

        Span<byte> keyBytes = stackalloc byte[FernetBase64.MaxDecodedLength(EncodedLength)];
        bool decoded = FernetBase64.TryDecode(urlSafe, keyBytes, out int length) && length == Size;
        if (decoded)
        {
            key = new FernetKey(keyBytes[..Size]);
        }

        CryptographicOperations.ZeroMemory(keyBytes);
        return decoded;
    }

    /// <summary>The key as url-safe base64, for printing a freshly generated key. Never log it.</summary>
    public string Encode()
    {
        Span<byte> keyBytes = stackalloc byte[Size];
        Primitives.CopyKeysTo(keyBytes);
        string encoded = FernetBase64.Encode(keyBytes);
        CryptographicOperations.ZeroMemory(keyBytes);
        return encoded;
    }

    public override string ToString() => "FernetKey(****)";
}
