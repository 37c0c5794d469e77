using JiraAuthServer.Web.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newtonsoft.Json;

namespace JiraAuthServer.Web.Health;

/// <summary>The one shape of every health answer: 200 <c>{"status": "healthy"}</c>, or 503 with the first reason.</summary>
public static class HealthAnswer
{
    public static int StatusCodeOf(HealthReport report) =>
        report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;

    public static HealthResponse Of(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status != HealthStatus.Unhealthy)
        {
            return new HealthResponse(HealthResponse.Healthy);
        }

        // A check that threw says only which check failed: an exception's message is not for the outside.
        var failed = report.Entries.First(entry => entry.Value.Status == HealthStatus.Unhealthy);
        var reason = failed.Value.Exception is null ? failed.Value.Description : $"The {failed.Key} check failed";
        return new HealthResponse(HealthResponse.Unhealthy, reason ?? $"The {failed.Key} check failed");
    }

    /// <summary>The writer of the health-check middleware, byte for byte what <c>/health</c> answers.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonConvert.SerializeObject(Of(report)), context.RequestAborted);
    }
}
