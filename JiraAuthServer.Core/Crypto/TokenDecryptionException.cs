namespace JiraAuthServer.Core.Crypto;

/// <summary>A stored token that none of the configured keys opens. Never carries the token or a key.</summary>
public sealed class TokenDecryptionException : Exception
{
    public const string DefaultMessage = "cannot decrypt with any configured key";

    public TokenDecryptionException()
        : base(DefaultMessage)
    {
    }

    public TokenDecryptionException(string message)
        : base(message)
    {
    }

    public TokenDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
