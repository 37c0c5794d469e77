using System.Diagnostics;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Web.Security;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// One line per request: endpoint (route template, never the query string, which carries codes), user id, the
/// client's address, status, outcome (<see cref="RequestOutcome"/>) and duration. For a token handed out this is the
/// audit line too; events that are not a plain served request (a rejected key, a refresh, a revoke) have their own.
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
            var (endpoint, userId, address, outcome) = (EndpointOf(context), UserIdOf(context), ClientAddress.Of(context), RequestOutcome.Of(context));
            LogOutcome(logger, context.Request.Method, endpoint, userId, address, context.Response.StatusCode, outcome, elapsed);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Endpoint} user={TelegramUserId} from {ClientAddress} -> {StatusCode} {Outcome} in {ElapsedMs:0.0} ms")]
    private static partial void LogOutcome(ILogger logger, string method, string endpoint, string telegramUserId, string clientAddress, int statusCode, string outcome, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Endpoint} -> {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogProbe(ILogger logger, string method, string endpoint, int statusCode, double elapsedMs);
}
