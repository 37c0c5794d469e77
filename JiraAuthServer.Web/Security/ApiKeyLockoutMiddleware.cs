namespace JiraAuthServer.Web.Security;

/// <summary>Answers 429 to a locked-out client's requests that carry a key, before the key is even looked at.</summary>
public sealed partial class ApiKeyLockoutMiddleware(RequestDelegate next, ApiKeyLockout lockout, ILogger<ApiKeyLockoutMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0 && lockout.IsLockedOut(context, out var retryAfter))
        {
            LogRefused(logger, ClientAddress.Of(context), context.Request.Path, RetryAfter.Seconds(retryAfter));
            await TooManyRequests.WriteAsync(context, TooManyRequests.KeyLockedOut, retryAfter, context.RequestAborted);
            return;
        }

        await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused API key attempt from locked-out {ClientAddress} on {Path} (retry after {RetryAfterSeconds} s)")]
    private static partial void LogRefused(ILogger logger, string clientAddress, PathString path, int retryAfterSeconds);
}
