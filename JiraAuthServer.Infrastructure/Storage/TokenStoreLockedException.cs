namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>Another process (or another repository in this one) already serves the token file.</summary>
public sealed class TokenStoreLockedException : Exception
{
    public TokenStoreLockedException()
    {
    }

    public TokenStoreLockedException(string message)
        : base(message)
    {
    }

    public TokenStoreLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
