using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>A change could not be made durable; it was not applied, and the file and the store still agree.</summary>
public sealed class TokenStoreWriteException : TokenStoreException
{
    public TokenStoreWriteException()
    {
    }

    public TokenStoreWriteException(string message)
        : base(message)
    {
    }

    public TokenStoreWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
