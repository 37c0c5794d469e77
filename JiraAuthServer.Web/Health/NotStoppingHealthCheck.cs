using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JiraAuthServer.Web.Health;

/// <summary>
/// Unhealthy from the moment a graceful stop begins: the requests in flight still drain (see
/// <see cref="Hosting.RefreshDrainService"/>), but a load balancer should send new ones elsewhere.
/// </summary>
public sealed class NotStoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "not_stopping";

    public const string Stopping = "The server is stopping";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy(Stopping) : HealthCheckResult.Healthy());
}
