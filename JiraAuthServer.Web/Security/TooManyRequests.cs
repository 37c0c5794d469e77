using System.Globalization;

namespace JiraAuthServer.Web.Security;

/// <summary>The one shape of a 429: JSON with an <c>error</c> field and <c>Retry-After</c> in whole seconds.</summary>
public static class TooManyRequests
{
    public const string RateLimited = "Too many requests";
    public const string KeyLockedOut = "Too many failed API key attempts";

    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static Task WriteAsync(HttpContext context, string error, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new { error }, cancellationToken);
    }
}
