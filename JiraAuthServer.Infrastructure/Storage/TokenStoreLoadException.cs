namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// The token file cannot be taken into service: it is damaged, unreadable, or the configured keys open none of its
/// tokens. The message names the file and the problem; the file itself is left exactly as it was.
/// </summary>
public sealed class TokenStoreLoadException : Exception
{
    public TokenStoreLoadException()
    {
    }

    public TokenStoreLoadException(string message)
        : base(message)
    {
    }

    public TokenStoreLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
