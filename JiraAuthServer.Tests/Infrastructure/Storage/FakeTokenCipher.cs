using System.Text;
using JiraAuthServer.Core.Crypto;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>A reversible stand-in for Fernet: a token opens only with the key it was "encrypted" with.</summary>
internal sealed class FakeTokenCipher(string key = "key-one") : ITokenCipher
{
    public string Encrypt(string plaintext) => $"{key}:{Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext))}";

    public string Decrypt(string token) =>
        token.StartsWith(key + ":", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(token[(key.Length + 1)..]))
            : throw new TokenDecryptionException();
}
