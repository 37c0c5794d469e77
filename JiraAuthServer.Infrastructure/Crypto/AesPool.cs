using System.Security.Cryptography;

namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// AES-128-CBC under one key, safe to call from many threads.
/// </summary>
/// <remarks>
/// An <see cref="System.Security.Cryptography.Aes"/> instance caches its one-shot cipher context and resets it per call,
/// so it must not be shared between threads; creating one per call would allocate and rebuild the key schedule.
/// A few idle instances are kept in slots instead; under contention extras are made and then disposed.
/// </remarks>
internal sealed class AesPool
{
    private readonly byte[] _key;
    private readonly Aes?[] _idle = new Aes?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

    public AesPool(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
    }

    public void CopyKeyTo(Span<byte> destination) => _key.CopyTo(destination);

    public int EncryptCbc(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        Aes aes = Rent();
        try
        {
            return aes.EncryptCbc(plaintext, iv, destination, PaddingMode.PKCS7);
        }
        finally
        {
            Return(aes);
        }
    }

    /// <returns>False when the PKCS7 padding is wrong.</returns>
    public bool TryDecryptCbc(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> iv, Span<byte> destination, out int bytesWritten)
    {
        Aes aes = Rent();
        try
        {
            bytesWritten = aes.DecryptCbc(ciphertext, iv, destination, PaddingMode.PKCS7);
            return true;
        }
        catch (CryptographicException)
        {
            bytesWritten = 0;
            return false;
        }
        finally
        {
            Return(aes);
        }
    }

    private Aes Rent()
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            Aes? aes = Interlocked.Exchange(ref _idle[i], null);
            if (aes is not null)
            {
                return aes;
            }
        }

        Aes created = System.Security.Cryptography.Aes.Create();
        created.Key = _key;
        return created;
    }

    private void Return(Aes aes)
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _idle[i], aes, null) is null)
            {
                return;
            }
        }

        aes.Dispose();
    }
}
