using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>CORS for the JSON endpoints, forwarded headers from trusted proxies, and HTTPS redirection with HSTS.</summary>
public static class NetworkSetup
{
    /// <summary>Proxies on the same host or a private network: what <c>FORWARDED_HEADERS=true</c> trusts, for one hop.</summary>
    private static readonly IPNetwork[] LocalNetworks =
    [
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"),
    ];

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
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<NetworkOptions>>((options, network) => options.HttpsPort = network.Value.HttpsPort);
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
            app.UseHttpsRedirection();
        }
    }

    private static void ConfigureProxies(ForwardedHeadersOptions options, NetworkOptions network)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in network.TrustedProxies.Count > 0 ? network.TrustedProxies : LocalNetworks)
        {
            options.KnownIPNetworks.Add(proxy);
        }

        // "true" believes one hop: a client on the private network itself cannot choose its address by sending its
        // own X-Forwarded-For. A listed chain of proxies is walked back to the first address not in the list.
        options.ForwardLimit = network.TrustedProxies.Count > 0 ? null : 1;
    }
}
