using JiraAuthServer.Core.Options;
using JiraAuthServer.Web.Security;

namespace JiraAuthServer.Web.Configuration;

/// <summary>
/// Binds the flat environment variables onto the option classes. Malformed values fall back to defaults here;
/// <see cref="SettingsValidator"/> reports them and stops the process before it serves anything.
/// </summary>
public static class SettingsBinder
{
    public static void BindAtlassian(AtlassianOptions options, IConfiguration configuration)
    {
        options.ClientId = configuration[SettingNames.ClientId]?.Trim() ?? string.Empty;
        options.ClientSecret = configuration[SettingNames.ClientSecret]?.Trim() ?? string.Empty;
        options.RedirectUri = configuration[SettingNames.RedirectUri]?.Trim() ?? string.Empty;
        options.AuthBaseUrl = NonEmpty(configuration[SettingNames.AuthBaseUrl]) ?? options.AuthBaseUrl;
        options.ApiBaseUrl = NonEmpty(configuration[SettingNames.ApiBaseUrl]) ?? options.ApiBaseUrl;
        options.Scopes = NonEmpty(configuration[SettingNames.Scopes]) ?? options.Scopes;
        options.SiteUrl = NonEmpty(configuration[SettingNames.SiteUrl]);
        options.RequestTimeout = DurationSetting.Read(configuration, SettingNames.AtlassianTimeout, options.RequestTimeout);
    }

    public static void BindTokenPolicy(TokenPolicyOptions options, IConfiguration configuration)
    {
        options.RefreshMargin = DurationSetting.Read(configuration, SettingNames.RefreshMargin, options.RefreshMargin);
        options.AuthStateTtl = DurationSetting.Read(configuration, SettingNames.AuthStateTtl, options.AuthStateTtl);
    }

    public static void BindJiraProxy(JiraProxyOptions options, IConfiguration configuration) =>
        options.Timeout = DurationSetting.Read(configuration, SettingNames.JiraProxyTimeout, options.Timeout);

    public static void BindKeepAlive(KeepAliveOptions options, IConfiguration configuration)
    {
        options.After = DurationSetting.Read(configuration, SettingNames.KeepAliveAfter, options.After);
        options.Interval = DurationSetting.Read(configuration, SettingNames.KeepAliveInterval, options.Interval);
        options.ReauthorizationNoticeBefore = DurationSetting.Read(configuration, SettingNames.ReauthNoticeBefore, options.ReauthorizationNoticeBefore);
        options.RefreshesPerSecond = RateSetting.TryParse(configuration[SettingNames.KeepAliveRate], out var rate) ? rate : options.RefreshesPerSecond;
    }

    public static void BindApiKey(ApiKeyOptions options, IConfiguration configuration)
    {
        options.InternalApiKey = configuration[SettingNames.InternalApiKey]?.Trim() ?? string.Empty;
        options.StartRequiresApiKey = !string.Equals(configuration[SettingNames.AuthStartRequiresApiKey]?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
    }

    public static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
