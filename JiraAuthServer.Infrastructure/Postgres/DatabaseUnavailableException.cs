using JiraAuthServer.Core.Storage;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>PostgreSQL failed or could not be reached while serving. Every change is one transaction, so none is ever half-made.</summary>
public sealed class DatabaseUnavailableException : TokenStoreException
{
    public DatabaseUnavailableException()
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
