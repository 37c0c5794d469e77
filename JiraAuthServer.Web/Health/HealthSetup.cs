using JiraAuthServer.Web.Models;
using JiraAuthServer.Web.OpenApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace JiraAuthServer.Web.Health;

/// <summary>
/// ASP.NET Core's health checks: <c>/health/live</c> runs none (the process answers), <c>/health/ready</c> the store
/// and the stop; <c>/health</c> (HealthController) the store only, as before.
/// </summary>
public static class HealthSetup
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IServiceCollection AddServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<TokenStoreHealthCheck>(TokenStoreHealthCheck.Name, tags: [HealthTags.Store, HealthTags.Ready])
            .AddCheck<NotStoppingHealthCheck>(NotStoppingHealthCheck.Name, tags: [HealthTags.Ready]);
        return services;
    }

    public static void MapServerHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, LivePath, _ => false, "Whether the process answers: 200 as long as it runs.");
        Map(endpoints, ReadyPath, check => check.Tags.Contains(HealthTags.Ready),
            "Whether to send requests here: 200 while the token store can be used, 503 otherwise and from the moment a graceful stop begins.");
    }

    private static void Map(IEndpointRouteBuilder endpoints, string path, Func<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration, bool> checks, string summary)
    {
        endpoints.MapHealthChecks(path, new HealthCheckOptions
        {
            Predicate = checks,
            ResponseWriter = HealthAnswer.WriteAsync,
            AllowCachingResponses = true, // the writer sets Cache-Control itself, as /health does
        })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithMetadata(new DocumentedEndpoint(summary, "application/json", typeof(HealthResponse),
                [StatusCodes.Status200OK, StatusCodes.Status503ServiceUnavailable]));
    }
}
