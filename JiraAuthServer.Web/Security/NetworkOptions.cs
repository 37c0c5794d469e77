using System.Net;

namespace JiraAuthServer.Web.Security;

/// <summary>Who may call from a browser, which proxies are believed, and whether plain HTTP is refused.</summary>
public sealed class NetworkOptions
{
    /// <summary><c>CORS_ORIGINS</c>: origins whose pages may call the JSON endpoints; none by default.</summary>
    public IReadOnlyList<string> CorsOrigins { get; set; } = [];

    /// <summary><c>FORWARDED_HEADERS</c>: whether <c>X-Forwarded-For</c>/<c>-Proto</c> are honoured at all.</summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>The proxies whose forwarded headers count; empty with <see cref="TrustForwardedHeaders"/> means one hop from loopback.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary><c>REQUIRE_HTTPS</c>: redirect HTTP to HTTPS and send HSTS.</summary>
    public bool RequireHttps { get; set; }

    /// <summary><c>HTTPS_PORT</c>: the public HTTPS port that redirects point to.</summary>
    public int HttpsPort { get; set; } = 443;
}
