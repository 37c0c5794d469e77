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

    public string Decrypt(string token) =>
        token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : throw new TokenDecryptionException();
}
