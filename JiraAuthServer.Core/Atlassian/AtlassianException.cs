namespace JiraAuthServer.Core.Atlassian;

/// <summary>
/// A failed call to Atlassian, classified. The message never carries a token, a code or the client secret.
/// </summary>
public sealed class AtlassianException : Exception
{
    public AtlassianException(AtlassianFailureKind kind, string message, int? statusCode = null, string? errorCode = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RetryAfter = retryAfter;
    }

    public AtlassianException()
        : this(AtlassianFailureKind.Transient, "Atlassian request failed")
    {
    }

    public AtlassianException(string message)
        : this(AtlassianFailureKind.Transient, message)
    {
    }

    public AtlassianException(string message, Exception innerException)
        : this(AtlassianFailureKind.Transient, message, innerException: innerException)
    {
    }

    public AtlassianFailureKind Kind { get; }

    public int? StatusCode { get; }

    /// <summary>The OAuth <c>error</c> field of Atlassian's answer, e.g. <c>invalid_grant</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The <c>Retry-After</c> Atlassian asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; }
}
