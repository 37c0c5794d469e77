using System.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// One log line and one metrics observation per Jira call, written once the answer has been sent (its status is
/// final then, and the duration covers a streamed body): user, method, the path without its query (which may carry
/// JQL or personal data), status and duration. Never a token.
/// </summary>
public sealed partial class JiraCallLog(ILogger<JiraCallLog> logger)
{
    public const string RejectedPath = "(rejected path)";

    /// <summary>Starts the clock for this request; fill in the returned call as it goes.</summary>
    public JiraCall Track(HttpContext context)
    {
        var call = new JiraCall(Stopwatch.GetTimestamp());
        context.Response.OnCompleted(() =>
        {
            var elapsed = Stopwatch.GetElapsedTime(call.Started);
            var status = context.Response.StatusCode;
            JiraProxyMetrics.Observe(context.Request.Method, status, elapsed, call.Retried);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var note = call.Error is not ForwarderError.None ? $" (Jira not reached: {call.Error})"
                    : call.Retried ? " (sent again after a refresh)"
                    : string.Empty;
                LogCall(logger, context.Request.Method, call.Path, call.TelegramUserId, status, elapsed.TotalMilliseconds, note);
            }

            return Task.CompletedTask;
        });
        return call;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Jira {Method} {JiraPath} user={TelegramUserId} -> {StatusCode} in {ElapsedMs:0.0} ms{Note}")]
    private static partial void LogCall(ILogger logger, string method, string jiraPath, string telegramUserId, int statusCode, double elapsedMs, string note);

    /// <summary>What the line says about one call; the path is only ever the checked one.</summary>
    public sealed class JiraCall(long started)
    {
        public long Started { get; } = started;

        public string Path { get; set; } = RejectedPath;

        public string TelegramUserId { get; set; } = "-";

        public bool Retried { get; set; }

        public ForwarderError Error { get; set; }
    }
}
