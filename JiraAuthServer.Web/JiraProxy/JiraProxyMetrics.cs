using JiraAuthServer.Web.Diagnostics;
using Prometheus;

namespace JiraAuthServer.Web.JiraProxy;

/// <summary>Calls through <c>/jira/...</c> that passed the key check, by method and the class of the answer's status.</summary>
public static class JiraProxyMetrics
{
    private static readonly Counter Requests = Metrics.CreateCounter(
        "jira_auth_proxy_requests_total", "Jira calls through the server, by method and status class (2xx, 4xx, 5xx, ...)", "method", "status_class");

    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "jira_auth_proxy_request_duration_seconds", "Jira calls through the server, from the bot's request to the end of the answer", new HistogramConfiguration
        {
            LabelNames = ["method"],
            Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        });

    private static readonly Counter Retries = Metrics.CreateCounter(
        "jira_auth_proxy_retries_total", "Jira calls sent a second time after Jira answered 401 and the token was refreshed");

    public static void Observe(string method, int statusCode, TimeSpan elapsed, bool retried)
    {
        var label = MethodLabel.Of(method);
        Requests.WithLabels(label, StatusClass(statusCode)).Inc();
        Duration.WithLabels(label).Observe(elapsed.TotalSeconds);
        if (retried)
        {
            Retries.Inc();
        }
    }

    public static string StatusClass(int statusCode) => statusCode is >= 100 and <= 599 ? $"{statusCode / 100}xx" : "other";
}
