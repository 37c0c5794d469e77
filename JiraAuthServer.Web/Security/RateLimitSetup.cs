using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiter with a fixed window per client address on the public endpoints. A request that
/// authenticated with the API key is never limited here, so one bot server asking for thousands of users is not
/// throttled; wrong keys are limited separately by <see cref="ApiKeyLockout"/>.
/// </summary>
public static partial class RateLimitSetup
{
    public static IServiceCollection AddServerRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyLockout>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, settings) =>
        {
            var limits = settings.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            options.AddPolicy(RateLimitPolicies.Callback, context => PerAddress(context, limits.Callback, limits.Window, authenticatedUnlimited: false));
            options.AddPolicy(RateLimitPolicies.PublicApi, context => PerAddress(context, limits.Status, limits.Window, authenticatedUnlimited: true));
        });
        return services;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int permits, TimeSpan window, bool authenticatedUnlimited)
    {
        if (permits == 0 || (authenticatedUnlimited && ApiKeyCheck.IsAuthenticated(context)))
        {
            return RateLimitPartition.GetNoLimiter("(not limited)");
        }

        return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.PartitionOf(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Window;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitSetup));
        var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.ToString();
        LogRejected(logger, ClientAddress.Of(context), endpoint, RetryAfter.Seconds(retryAfter));
        await TooManyRequests.WriteAsync(context, TooManyRequests.RateLimited, retryAfter, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit reached by {ClientAddress} on {Endpoint} (retry after {RetryAfterSeconds} s)")]
    private static partial void LogRejected(ILogger logger, string clientAddress, string endpoint, int retryAfterSeconds);
}
