using System.Security.Cryptography;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// The HMAC-SHA256 and AES-128-CBC objects of one key, reused across calls and safe to use from many threads.
/// </summary>
/// <remarks>
/// Neither <see cref="Aes"/> (it caches its one-shot cipher context and resets it per call) nor
/// <see cref="IncrementalHash"/> may be shared between threads, and building them per call costs a key schedule and
/// about a microsecond of OpenSSL HMAC setup. So a few idle pairs wait in slots; under contention extras are made and
/// then disposed.
/// </remarks>
internal sealed class FernetPrimitivePool
{
    private readonly byte[] _signingKey;
    private readonly byte[] _encryptionKey;
    private readonly Primitives?[] _idle = new Primitives?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

    public FernetPrimitivePool(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> encryptionKey)
    {
        _signingKey = signingKey.ToArray();
        _encryptionKey = encryptionKey.ToArray();
    }

    public void CopyKeysTo(Span<byte> destination)
    {
        _signingKey.CopyTo(destination);
        _encryptionKey.CopyTo(destination[_signingKey.Length..]);
    }

    public void Sign(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        Primitives primitives = Rent();
        try
        {
            primitives.Hmac.AppendData(data);
            primitives.Hmac.GetHashAndReset(mac);
        }
        finally
        {
            Return(primitives);
        }
    }

    public int EncryptCbc(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        Primitives primitives = Rent();
        try
        {
            return primitives.Aes.EncryptCbc(plaintext, iv, destination, PaddingMode.PKCS7);
        }
        finally
        {
            Return(primitives);
        }
    }

    /// <returns>False when the PKCS7 padding is wrong.</returns>
    public bool TryDecryptCbc(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> iv, Span<byte> destination, out int bytesWritten)
    {
        Primitives primitives = Rent();
        try
        {
            bytesWritten = primitives.Aes.DecryptCbc(ciphertext, iv, destination, PaddingMode.PKCS7);
            return true;
        }
        catch (CryptographicException)
        {
            bytesWritten = 0;
            return false;
        }
        finally
        {
            Return(primitives);
        }
    }

    private Primitives Rent()
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Interlocked.Exchange(ref _idle[i], null) is { } idle)
            {
                return idle;
            }
        }

        return new Primitives(_signingKey, _encryptionKey);
    }

    private void Return(Primitives primitives)
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _idle[i], primitives, null) is null)
            {
                return;
            }
        }

        primitives.Dispose();
    }

    private sealed class Primitives : IDisposable
    {
        public Primitives(byte[] signingKey, byte[] encryptionKey)
        {
            Hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, signingKey);
            Aes = System.Security.Cryptography.Aes.Create();
            Aes.Key = encryptionKey;
        }

        public IncrementalHash Hmac { get; }

        public Aes Aes { get; }

        public void Dispose()
        {
            Hmac.Dispose();
            Aes.Dispose();
        }
    }
}
