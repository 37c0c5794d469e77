using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Prometheus;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// Requests by status class, method, controller, action and endpoint, and their durations: the two series
/// prometheus-net's <c>UseHttpMetrics</c> writes (its names, help, labels and buckets, status codes reduced to
/// <c>2xx</c>, no exemplars, no in-progress gauge), from one middleware that finds a request's two series in a table
/// kept per endpoint instead of building a label array and looking it up in each of them on every request. The
/// method label is <see cref="MethodLabel"/>'s.
/// </summary>
public sealed class HttpRequestMetrics(RequestDelegate next)
{
    private static readonly string[] LabelNames = ["code", "method", "controller", "action", "endpoint"];

    private static readonly Counter Requests = Metrics.CreateCounter(
        "http_requests_received_total",
        "Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.",
        LabelNames);

    private static readonly Histogram Durations = Metrics.CreateHistogram(
        "http_request_duration_seconds",
        "The duration of HTTP requests processed by an ASP.NET Core application.",
        new HistogramConfiguration { LabelNames = LabelNames, Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    private readonly ConcurrentDictionary<Endpoint, EndpointSeries> byEndpoint = new();

    private readonly EndpointSeries withoutEndpoint = new(string.Empty);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var (requests, durations) = SeriesOf(context);
            requests.Inc(Exemplar.None);
            durations.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds, Exemplar.None);
        }
    }

    private (Counter.Child Requests, Histogram.Child Durations) SeriesOf(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var table = endpoint is null
            ? withoutEndpoint
            : byEndpoint.GetOrAdd(endpoint, static endpoint => new EndpointSeries((endpoint as RouteEndpoint)?.RoutePattern.RawText ?? string.Empty));
        var routeValues = context.Request.RouteValues;
        var controller = routeValues["controller"] as string ?? string.Empty;
        var action = routeValues["action"] as string ?? string.Empty;
        return table.For(context.Request.Method, context.Response.StatusCode, controller, action);
    }

    /// <summary>One endpoint's series by method, status class, controller and action.</summary>
    private sealed class EndpointSeries(string endpoint)
    {
        private readonly ConcurrentDictionary<(string Method, string Code, string Controller, string Action), (Counter.Child, Histogram.Child)> series = new();

        public (Counter.Child Requests, Histogram.Child Durations) For(string method, int statusCode, string controller, string action)
        {
            var key = (MethodLabel.Of(method), CodeLabel(statusCode), controller, action);
            return series.TryGetValue(key, out var found)
                ? found
                : series.GetOrAdd(key, key =>
                {
                    string[] labels = [key.Code, key.Method, key.Controller, key.Action, endpoint];
                    return (Requests.WithLabels(labels), Durations.WithLabels(labels));
                });
        }

        // prometheus-net's reduced status code: 200 → "2xx".
        private static string CodeLabel(int statusCode) => statusCode switch
        {
            >= 100 and < 200 => "1xx",
            >= 200 and < 300 => "2xx",
            >= 300 and < 400 => "3xx",
            >= 400 and < 500 => "4xx",
            >= 500 and < 600 => "5xx",
            _ => Math.Floor(statusCode / 100.0).ToString("#xx", CultureInfo.InvariantCulture),
        };
    }
}
