using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Tests.Support;

/// <summary>
/// A transparent stand-in for the Fernet cipher: "<c>key</c>:" + plaintext, readable in assertions and in token files
/// a test writes by hand. A token opens only with the key it was made with, so wrong-key paths can be tested too.
/// </summary>
public sealed class PrefixTestCipher(string key = "enc") : ITokenCipher
{
    private readonly string prefix = key + ":";

    public string Encrypt(string plaintext) => prefix + plaintext;

    private int decryptions;

    /// <summary>How many times <see cref="Decrypt"/> was asked, whether the token opened or not.</summary>
    public int Decryptions => Volatile.Read(ref decryptions);

    public string Decrypt(string token)
    {
        Interlocked.Increment(ref decryptions);
        return token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : throw new TokenDecryptionException();
    }
}
