using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Crypto;

/// <summary>Encrypts tokens at rest. Implemented by a Fernet key ring, compatible with Python's <c>cryptography</c>.</summary>
public interface ITokenCipher
{
    string Encrypt(string plaintext);

    /// <exception cref="TokenDecryptionException">No configured key opens the token.</exception>
    string Decrypt(string token);

    /// <summary>Decrypts a token as the store holds it; a cipher that reads its bytes directly skips making the text.</summary>
    /// <exception cref="TokenDecryptionException">No configured key opens the token.</exception>
    string Decrypt(SealedText token) => Decrypt(token.ToString());

    /// <summary>Whether <see cref="Decrypt(SealedText)"/> would succeed; checks a whole store at start without making each plaintext.</summary>
    bool CanDecrypt(SealedText token)
    {
        try
        {
            Decrypt(token);
            return true;
        }
        catch (TokenDecryptionException)
        {
            return false;
        }
    }
}
