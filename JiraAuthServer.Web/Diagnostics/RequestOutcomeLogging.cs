using System.Diagnostics;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// One line per request: endpoint (route template, never the query string, which carries codes), user id,
/// status and duration.
/// </summary>
public sealed partial class RequestOutcomeLogging(RequestDelegate next, ILogger<RequestOutcomeLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Log(context, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>
    /// The endpoint and user id are worked out only when the line is written (not at LOG_LEVEL=Warning). They are
    /// locals because CA1873 does not see the IsEnabled guards.
    /// </summary>
    private void Log(HttpContext context, double elapsed)
    {
        if (context.Request.Path.StartsWithSegments("/metrics") || context.Request.Path.StartsWithSegments("/health"))
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var endpoint = EndpointOf(context);
                LogProbe(logger, context.Request.Method, endpoint, context.Response.StatusCode, elapsed);
            }
        }
        else if (logger.IsEnabled(LogLevel.Information))
        {
            var (endpoint, userId) = (EndpointOf(context), UserIdOf(context));
            LogOutcome(logger, context.Request.Method, endpoint, userId, context.Response.StatusCode, elapsed);
        }
    }

    private static string EndpointOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";

    /// <summary>The id as sent when it is one; anything else (which could carry line breaks into the log) is not echoed.</summary>
    private static string UserIdOf(HttpContext context)
    {
        var sent = context.GetRouteValue("telegram_user_id") as string
            ?? (context.Request.Path.StartsWithSegments("/auth/start") ? context.Request.Query["telegram_user_id"].ToString() : null);
        return string.IsNullOrEmpty(sent) ? "-" : TelegramUserId.TryParse(sent, out _) ? sent : "(invalid)";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Endpoint} user={TelegramUserId} -> {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogOutcome(ILogger logger, string method, string endpoint, object? telegramUserId, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Endpoint} -> {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogProbe(ILogger logger, string method, string endpoint, int statusCode, double elapsedMs);
}
