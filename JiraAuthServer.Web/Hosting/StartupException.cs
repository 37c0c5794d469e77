namespace JiraAuthServer.Web.Hosting;

/// <summary>A problem found while starting that the operator must fix; its message says what and never holds a secret.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
