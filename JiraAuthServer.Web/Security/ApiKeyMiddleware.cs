namespace JiraAuthServer.Web.Security;

/// <summary>
/// Looks at the key of every request that carries an <c>Authorization</c> header, on any endpoint. A locked-out client
/// is answered 429 before its key is even looked at (see <see cref="ApiKeyLockout"/>); the right key makes the request
/// <see cref="ApiKeyCheck.Bot"/>, which the rate limiter never limits; a wrong one counts against the client and is
/// logged with its address, never with the key tried. Whether an endpoint needs the key is decided later, after the
/// rate limiter, by <see cref="ApiKeyRequirementMiddleware"/>.
/// </summary>
public sealed partial class ApiKeyMiddleware(RequestDelegate next, ApiKeyCheck check, ApiKeyLockout lockout, ILogger<ApiKeyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return next(context);
        }

        if (lockout.IsLockedOut(context, out var retryAfter))
        {
            LogRefused(logger, ClientAddress.Of(context), context.Request.Path, RetryAfter.Seconds(retryAfter));
            return TooManyRequests.WriteAsync(context, TooManyRequests.KeyLockedOut, retryAfter, context.RequestAborted);
        }

        var presented = header.ToString();
        if (presented.Length == 0)
        {
            return next(context);
        }

        if (check.Matches(presented))
        {
            context.User = ApiKeyCheck.Bot;
        }
        else
        {
            RecordFailure(context);
        }

        return next(context);
    }

    private void RecordFailure(HttpContext context)
    {
        LogRejectedKey(logger, ClientAddress.Of(context), context.Request.Path);
        var client = ClientAddress.PartitionOf(context);
        if (lockout.RecordFailure(client))
        {
            LogLockedOut(logger, client, lockout.Limit, lockout.Window.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused API key attempt from locked-out {ClientAddress} on {Path} (retry after {RetryAfterSeconds} s)")]
    private static partial void LogRefused(ILogger logger, string clientAddress, PathString path, int retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected API key from {ClientAddress} on {Path}")]
    private static partial void LogRejectedKey(ILogger logger, string clientAddress, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Locked out {Client} after {Failures} wrong API keys: its requests with a key get 429 for {WindowSeconds} s")]
    private static partial void LogLockedOut(ILogger logger, string client, int failures, double windowSeconds);
}
