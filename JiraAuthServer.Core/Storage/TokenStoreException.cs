namespace JiraAuthServer.Core.Storage;

/// <summary>
/// The token store could not do what was asked (disk full, database down); nothing was changed. Requests answer
/// 503 and the caller may try again.
/// </summary>
public class TokenStoreException : Exception
{
    public TokenStoreException()
    {
    }

    public TokenStoreException(string message)
        : base(message)
    {
    }

    public TokenStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
