namespace JiraAuthServer.Web.Security;

/// <summary>The one shape of a 429: JSON with an <c>error</c> field and <see cref="RetryAfter"/>.</summary>
public static class TooManyRequests
{
    public const string RateLimited = "Too many requests";
    public const string KeyLockedOut = "Too many failed API key attempts";

    public static Task WriteAsync(HttpContext context, string error, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        RetryAfter.Set(context.Response, retryAfter);
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new { error }, cancellationToken);
    }
}
