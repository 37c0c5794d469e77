using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>CORS for the JSON endpoints, forwarded headers from trusted proxies, and HTTPS redirection with HSTS.</summary>
public static class NetworkSetup
{
    /// <summary>
    /// A proxy on the same host: what <c>FORWARDED_HEADERS=true</c> trusts, for one hop. Not private networks, where
    /// any other machine could send its own <c>X-Forwarded-For</c>; a proxy there is listed in the setting.
    /// </summary>
    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public static IServiceCollection AddServerNetworkSecurity(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<NetworkOptions>>((options, network) =>
        {
            if (network.Value.CorsOrigins.Count > 0)
            {
                // Bearer keys, not cookies: credentials are never allowed.
                options.AddDefaultPolicy(policy => policy
                    .WithOrigins([.. network.Value.CorsOrigins])
                    .WithMethods(HttpMethods.Get, HttpMethods.Delete)
                    .WithHeaders("Authorization")
                    .WithExposedHeaders("Retry-After")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
            }
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((options, network) => ConfigureProxies(options, network.Value));
        services.AddOptions<HstsOptions>().Configure(options => options.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>First in the pipeline, so limits, logs and the HTTPS check see the client and scheme the proxy saw.</summary>
    public static void UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }
    }

    public static void UseRequiredHttps(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value.RequireHttps)
        {
            app.UseHsts();
            app.UseMiddleware<PublicHttpsRedirection>();
        }
    }

    private static void ConfigureProxies(ForwardedHeadersOptions options, NetworkOptions network)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in network.TrustedProxies.Count > 0 ? network.TrustedProxies : Loopback)
        {
            options.KnownIPNetworks.Add(proxy);
        }

        // "true" believes one hop: the proxy appends the address it saw, so an X-Forwarded-For the client sent itself
        // stays unread. A listed chain of proxies is walked back to the first address not in the list.
        options.ForwardLimit = network.TrustedProxies.Count > 0 ? null : 1;
    }
}
