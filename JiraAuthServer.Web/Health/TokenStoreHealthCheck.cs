using JiraAuthServer.Core.Storage;
using JiraAuthServer.Web.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JiraAuthServer.Web.Health;

/// <summary>Whether this process can read and write its token store (it was loaded before the server started listening).</summary>
public sealed class TokenStoreHealthCheck(ITokenRepository repository) : IHealthCheck
{
    public const string Name = "token_store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await repository.IsHealthyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(ApiMessages.StoreUnavailable);
}
