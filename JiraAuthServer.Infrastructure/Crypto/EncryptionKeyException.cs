namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// The configured <c>ENCRYPTION_KEY</c> is unusable. The message names the position of the bad key, never its text.
/// </summary>
public sealed class EncryptionKeyException : Exception
{
    public EncryptionKeyException()
        : base("ENCRYPTION_KEY is not a valid Fernet key list")
    {
    }

    public EncryptionKeyException(string message)
        : base(message)
    {
    }

    public EncryptionKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EncryptionKeyException(string message, int keyPosition)
        : base(message)
    {
        KeyPosition = keyPosition;
    }

    /// <summary>1-based position of the offending key in the comma-separated list, when one key is at fault.</summary>
    public int? KeyPosition { get; }
}
