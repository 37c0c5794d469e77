using System.Diagnostics;
using JiraAuthServer.Web.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>
/// What a Jira call adds to the request's one log line (see <see cref="RequestOutcomeLogging"/>, which has the user,
/// method, status and duration): the path without its query (which may carry JQL or personal data), and whether Jira
/// was reached or the call was sent again after a refresh. Never a token. Its metrics observation is made once the
/// answer has been sent, when the status is final and the duration covers a streamed body.
/// </summary>
public static class JiraCallLog
{
    public const string RejectedPath = "(rejected path)";

    /// <summary>Starts the clock for this request; fill in the returned call as it goes.</summary>
    public static JiraCall Track(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = new JiraCall(Stopwatch.GetTimestamp());
        RequestOutcome.Record(context, call);
        context.Response.OnCompleted(() =>
        {
            JiraProxyMetrics.Observe(context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(call.Started), call.Retried);
            return Task.CompletedTask;
        });
        return call;
    }

    /// <summary>What the line says about one call; the path is only ever the checked one.</summary>
    public sealed class JiraCall(long started) : RequestOutcome(string.Empty)
    {
        public long Started { get; } = started;

        public string Path { get; set; } = RejectedPath;

        public bool Retried { get; set; }

        public ForwarderError Error { get; set; }

        public override string Text => Error is not ForwarderError.None ? $"jira {Path} (Jira not reached: {Error})"
            : Retried ? $"jira {Path} (sent again after a refresh)"
            : $"jira {Path}";
    }
}
