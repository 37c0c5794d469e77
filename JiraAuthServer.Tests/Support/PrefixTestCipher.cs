using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Tests.Support;

/// <summary>A transparent stand-in for the Fernet cipher in Core tests: "enc:" + plaintext.</summary>
public sealed class PrefixTestCipher : ITokenCipher
{
    private const string Prefix = "enc:";

    public string Encrypt(string plaintext) => Prefix + plaintext;

    public string Decrypt(string token) =>
        token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..] : throw new TokenDecryptionException();
}
