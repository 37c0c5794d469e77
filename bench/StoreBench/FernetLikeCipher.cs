using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using JiraAuthServer.Core.Crypto;

namespace StoreBench;

/// <summary>
/// Fernet's layout and cost (AES-128-CBC + HMAC-SHA256, base64url) so the start-up key check is timed realistically;
/// the real cipher lives on another branch.
/// </summary>
internal sealed class FernetLikeCipher : ITokenCipher
{
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(16);
    private static readonly byte[] EncryptionKey = RandomNumberGenerator.GetBytes(16);

    [ThreadStatic]
    private static Aes? aesOfThisThread;

    private static Aes AesOfThisThread => aesOfThisThread ??= CreateAes();

    public string Encrypt(string plaintext)
    {
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipherText = AesOfThisThread.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), iv);
        var token = new byte[1 + 8 + 16 + cipherText.Length + 32];
        token[0] = 0x80;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        iv.CopyTo(token, 9);
        cipherText.CopyTo(token, 25);
        HMACSHA256.HashData(SigningKey, token.AsSpan(0, token.Length - 32), token.AsSpan(token.Length - 32));
        return Base64Url.EncodeToString(token);
    }

    public string Decrypt(string token)
    {
        var bytes = Base64Url.DecodeFromChars(token);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(SigningKey, bytes.AsSpan(0, bytes.Length - 32), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes.AsSpan(bytes.Length - 32)))
        {
            throw new TokenDecryptionException();
        }

        return Encoding.UTF8.GetString(AesOfThisThread.DecryptCbc(bytes.AsSpan(25, bytes.Length - 57), bytes.AsSpan(9, 16)));
    }

    private static Aes CreateAes()
    {
        var aes = Aes.Create();
        aes.Key = EncryptionKey;
        return aes;
    }
}
