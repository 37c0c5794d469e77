using System.Globalization;
using System.Net;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Web.Security;

namespace JiraAuthServer.Web.Configuration;

/// <summary>
/// Reads and checks the rate-limit, CORS, proxy and HTTPS settings. Malformed values fall back to the defaults when
/// bound; <see cref="FindErrors"/> names them so the server stops before serving.
/// </summary>
public static class SecuritySettings
{
    private const int MaxLimit = 1_000_000;
    private static readonly string[] Off = ["", "false", "off", "no", "0"];
    private static readonly string[] On = ["true", "on", "yes", "1"];

    /// <summary>The settings <see cref="FindErrors"/> checks.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        SettingNames.RateLimitWindow, SettingNames.RateLimitKeyFailures, SettingNames.RateLimitCallback, SettingNames.RateLimitStatus,
        SettingNames.CorsOrigins, SettingNames.ForwardedHeaders, SettingNames.RequireHttps, SettingNames.HttpsPort,
    ];

    public static void BindRateLimits(RateLimitOptions options, IConfiguration configuration)
    {
        if (TryWindow(configuration[SettingNames.RateLimitWindow], out var window))
        {
            options.Window = window;
        }

        options.KeyFailures = Count(configuration[SettingNames.RateLimitKeyFailures]) ?? options.KeyFailures;
        options.Callback = Count(configuration[SettingNames.RateLimitCallback]) ?? options.Callback;
        options.Status = Count(configuration[SettingNames.RateLimitStatus]) ?? options.Status;
    }

    public static void BindNetwork(NetworkOptions options, IConfiguration configuration)
    {
        options.CorsOrigins = Entries(configuration[SettingNames.CorsOrigins]).Select(Origin).OfType<string>().ToList();
        var forwarded = configuration[SettingNames.ForwardedHeaders]?.Trim() ?? string.Empty;
        options.TrustForwardedHeaders = !IsOneOf(forwarded, Off) && (IsOneOf(forwarded, On) || Proxies(forwarded) is not null);
        options.TrustedProxies = IsOneOf(forwarded, On) ? [] : Proxies(forwarded) ?? [];
        options.RequireHttps = IsOneOf(configuration[SettingNames.RequireHttps]?.Trim() ?? string.Empty, On);
        options.HttpsPort = Port(configuration[SettingNames.HttpsPort]) ?? options.HttpsPort;
    }

    public static void FindErrors(IConfiguration configuration, List<string> errors)
    {
        if (configuration[SettingNames.RateLimitWindow] is { } window && !TryWindow(window, out _))
        {
            errors.Add($"{SettingNames.RateLimitWindow} must be a duration between 1s and 1d, such as 60, 1m or 00:01:00");
        }

        foreach (var name in new[] { SettingNames.RateLimitKeyFailures, SettingNames.RateLimitCallback, SettingNames.RateLimitStatus })
        {
            if (configuration[name] is { } value && Count(value) is null)
            {
                errors.Add($"{name} must be a whole number from 0 (no limit) to {MaxLimit}");
            }
        }

        foreach (var entry in Entries(configuration[SettingNames.CorsOrigins]).Where(entry => Origin(entry) is null))
        {
            errors.Add($"{SettingNames.CorsOrigins}: '{entry}' is not an origin such as https://app.example.com (scheme, host and optional port; no path, no wildcard)");
        }

        var forwarded = configuration[SettingNames.ForwardedHeaders]?.Trim() ?? string.Empty;
        if (!IsOneOf(forwarded, Off) && !IsOneOf(forwarded, On) && Proxies(forwarded) is null)
        {
            errors.Add($"{SettingNames.ForwardedHeaders} must be true, false, or a comma-separated list of proxy addresses or networks such as 10.0.0.5,172.16.0.0/12");
        }

        if (configuration[SettingNames.RequireHttps] is { } https && !IsOneOf(https.Trim(), On) && !IsOneOf(https.Trim(), Off))
        {
            errors.Add($"{SettingNames.RequireHttps} must be true or false");
        }

        if (configuration[SettingNames.HttpsPort] is { } port && Port(port) is null)
        {
            errors.Add($"{SettingNames.HttpsPort} must be a port number from 1 to 65535");
        }
    }

    private static bool TryWindow(string? text, out TimeSpan window) =>
        DurationSetting.TryParse(text, out window) && window >= TimeSpan.FromSeconds(1) && window <= TimeSpan.FromDays(1);

    private static int? Count(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxLimit ? count : null;

    private static int? Port(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port : null;

    private static bool IsOneOf(string value, string[] words) => words.Contains(value, StringComparer.OrdinalIgnoreCase);

    private static string[] Entries(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The origin as browsers send it (<c>scheme://host[:port]</c>), or null when the entry is not one.</summary>
    private static string? Origin(string entry)
    {
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || entry.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>Each entry an address (a network of one) or a CIDR network; null when any entry is neither.</summary>
    private static List<IPNetwork>? Proxies(string list)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in Entries(list))
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else
            {
                return null;
            }
        }

        return networks.Count == 0 ? null : networks;
    }
}
