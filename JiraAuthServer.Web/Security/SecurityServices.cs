using JiraAuthServer.Web.Diagnostics;

namespace JiraAuthServer.Web.Security;

public static class SecurityServices
{
    /// <summary>Rate limits, key lockout, CORS, proxies and HTTPS; the settings come from <c>AddServerSettings</c>.</summary>
    public static IServiceCollection AddServerSecurity(this IServiceCollection services) =>
        services.AddSingleton<SecurityAudit>().AddSingleton<ApiKeyCheck>().AddServerRateLimits().AddServerNetworkSecurity();
}
