using JiraAuthServer.Core.Storage;
using Prometheus;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// Prometheus export: HTTP requests by endpoint and status (prometheus-net), Core's business counters (its .NET
/// Meter, bridged by prometheus-net's meter adapter) and the number of stored grants, read at scrape time.
/// </summary>
public static class MetricsSetup
{
    private static readonly Gauge GrantsStored = Metrics.CreateGauge("jira_auth_grants_stored", "Grants in the token store");

    public static IServiceCollection AddServerMetrics(this IServiceCollection services) => services;

    public static void UseServerMetrics(this WebApplication app)
    {
        var repository = app.Services.GetRequiredService<ITokenRepository>();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async cancellationToken =>
            GrantsStored.Set(await repository.CountAsync(cancellationToken)));
        app.UseHttpMetrics(options => options.ReduceStatusCodeCardinality());
    }
}
