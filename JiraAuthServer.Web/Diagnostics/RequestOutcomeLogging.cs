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
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";
            var userId = UserIdOf(context);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (context.Request.Path.StartsWithSegments("/metrics") || context.Request.Path.StartsWithSegments("/health"))
            {
                LogProbe(logger, context.Request.Method, endpoint, context.Response.StatusCode, elapsed);
            }
            else
            {
                LogOutcome(logger, context.Request.Method, endpoint, userId, context.Response.StatusCode, elapsed);
            }
        }
    }

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
