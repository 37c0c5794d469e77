using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Diagnostics;
using JiraAuthServer.Web.Security;
using Prometheus;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// Prometheus export: HTTP requests by endpoint and status, Core's business counters, process figures, the
/// number of stored grants, read at scrape time, and the server's version (set at start, before any request).
/// </summary>
public static class MetricsSetup
{
    private static readonly Gauge GrantsStored = Metrics.CreateGauge("jira_auth_grants_stored", "Grants in the token store");

    private static readonly Gauge BuildInfo = Metrics.CreateGauge("jira_auth_build_info", "Always 1; the running server's version is its label", "version");

    public static IServiceCollection AddServerMetrics(this IServiceCollection services)
    {
        // Only what an operator of this server reads; the runtime's hundreds of internal meters stay out.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
        BuildInfo.WithLabels(BuildVersion.Informational).Set(1);
        return services.AddSingleton<IAuthServerMetrics, PrometheusAuthServerMetrics>();
    }

    public static void UseServerMetrics(this WebApplication app)
    {
        // Set per scrape from this app's own store (not a registry-wide callback, which would outlive the app).
        var repository = app.Services.GetRequiredService<ITokenRepository>();
        var check = app.Services.GetRequiredService<ApiKeyCheck>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/metrics"),
            scrape => scrape.Use(async (context, next) =>
            {
                // Counted only for the key holder (a database count is not free), and a store outage must not cost
                // the operator the metrics that show it: the gauge then keeps its last value.
                if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } header && check.Matches(header))
                {
                    try
                    {
                        GrantsStored.Set(await repository.CountAsync(context.RequestAborted));
                    }
                    catch (TokenStoreException)
                    {
                    }
                }

                await next(context);
            }));
        app.UseMiddleware<HttpRequestMetrics>();
    }
}
