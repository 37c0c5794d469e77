namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// PostgreSQL cannot be taken into service at start: unreachable, login refused, or its schema is newer than this
/// server. The message names the host and database, never the password.
/// </summary>
public sealed class DatabaseStartupException : Exception
{
    public DatabaseStartupException()
    {
    }

    public DatabaseStartupException(string message)
        : base(message)
    {
    }

    public DatabaseStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
