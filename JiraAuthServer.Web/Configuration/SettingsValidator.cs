using JiraAuthServer.Core.Options;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Infrastructure.Postgres;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Configuration;

/// <summary>
/// Checks every setting at start and names each variable at fault, so a misconfigured server stops before it
/// serves anything (the old server invented a random encryption key instead, losing every stored grant).
/// Never echoes a secret's value.
/// </summary>
public sealed class SettingsValidator(IConfiguration configuration) : IValidateOptions<AtlassianOptions>
{
    public ValidateOptionsResult Validate(string? name, AtlassianOptions options)
    {
        var errors = FindErrors(configuration);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every setting the server reads, each checked once.</summary>
    public static List<string> FindErrors(IConfiguration configuration) => FindErrors(configuration, Checks.SelectMany(check => check.Names));

    /// <summary>Only the checks of <paramref name="names"/> (a command's settings), in the same order and words as the server's.</summary>
    public static List<string> FindErrors(IConfiguration configuration, IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var check in Checks.Where(check => check.Names.Any(wanted.Contains)))
        {
            check.Run(configuration, errors);
        }

        return errors;
    }

    /// <summary>One check per setting (a few settings are checked together), in the order their errors are listed.</summary>
    private static readonly SettingCheck[] Checks =
    [
        new([SettingNames.ClientId], (configuration, errors) => RequireText(configuration, SettingNames.ClientId, errors)),
        new([SettingNames.ClientSecret], (configuration, errors) => RequireText(configuration, SettingNames.ClientSecret, errors)),
        new([SettingNames.InternalApiKey], (configuration, errors) => RequireText(configuration, SettingNames.InternalApiKey, errors)),
        new([SettingNames.RedirectUri], (configuration, errors) => RequireUrl(configuration, SettingNames.RedirectUri, required: true, errors)),
        new([SettingNames.AuthBaseUrl], (configuration, errors) => RequireUrl(configuration, SettingNames.AuthBaseUrl, required: false, errors)),
        new([SettingNames.ApiBaseUrl], (configuration, errors) => RequireUrl(configuration, SettingNames.ApiBaseUrl, required: false, errors)),
        new([SettingNames.SiteUrl], (configuration, errors) => RequireUrl(configuration, SettingNames.SiteUrl, required: false, errors)),
        new([SettingNames.BotWebhookUrl], (configuration, errors) => RequireUrl(configuration, SettingNames.BotWebhookUrl, required: false, errors)),
        new([SettingNames.AtlassianTimeout], (configuration, errors) => RequireDuration(configuration, SettingNames.AtlassianTimeout, errors, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2))),
        new([SettingNames.JiraProxyTimeout], (configuration, errors) => RequireDuration(configuration, SettingNames.JiraProxyTimeout, errors, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10))),
        new([SettingNames.RefreshMargin], (configuration, errors) => RequireDuration(configuration, SettingNames.RefreshMargin, errors, TimeSpan.Zero, TimeSpan.FromMinutes(50), "tokens live one hour, so a larger margin refreshes on every request")),
        new([SettingNames.AuthStateTtl], (configuration, errors) => RequireDuration(configuration, SettingNames.AuthStateTtl, errors)),
        new([SettingNames.KeepAliveAfter], (configuration, errors) => RequireDuration(configuration, SettingNames.KeepAliveAfter, errors, TimeSpan.FromHours(1), TimeSpan.FromDays(80), "Atlassian drops grants unused for 90 days")),
        new([SettingNames.KeepAliveInterval], (configuration, errors) => RequireDuration(configuration, SettingNames.KeepAliveInterval, errors, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1))),
        new([SettingNames.ReauthNoticeBefore], (configuration, errors) => RequireDuration(configuration, SettingNames.ReauthNoticeBefore, errors, TimeSpan.FromHours(1), TimeSpan.FromDays(364), "a grant lives 365 days from the consent")),
        new([SettingNames.KeepAliveRate], CheckKeepAliveRate),
        new([SettingNames.EncryptionKey], (configuration, errors) => CheckEncryptionKey(configuration[SettingNames.EncryptionKey], errors)),
        new(SecuritySettings.Names, SecuritySettings.FindErrors),
        new([SettingNames.TokenStore, SettingNames.DatabaseUrl], (configuration, errors) => errors.AddRange(TokenStoreSetting.FindErrors(configuration))),
        new([SettingNames.JournalCompaction], (configuration, errors) => errors.AddRange(Infrastructure.Storage.JournalCompactionSetting.FindErrors(configuration))),
        new([SettingNames.Scopes], CheckScopes),
        new([SettingNames.LogLevel], LogSettings.FindLevelErrors),
        new([SettingNames.LogFormat], LogSettings.FindFormatErrors),
    ];

    private static void CheckKeepAliveRate(IConfiguration configuration, List<string> errors)
    {
        if (configuration[SettingNames.KeepAliveRate] is { } rate && !RateSetting.TryParse(rate, out _))
        {
            errors.Add($"{SettingNames.KeepAliveRate} must be a number of refreshes per second above 0 and at most {RateSetting.Max}, such as 0.5");
        }
    }

    private static void CheckScopes(IConfiguration configuration, List<string> errors)
    {
        if (configuration[SettingNames.Scopes] is { } scopes && !scopes.Split(' ').Contains("offline_access"))
        {
            errors.Add($"{SettingNames.Scopes} must include offline_access, or Atlassian issues no refresh token and every user is logged out after an hour");
        }
    }

    private static void CheckEncryptionKey(string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{SettingNames.EncryptionKey} is not set (generate one with: dotnet JiraAuthServer.Web.dll generate-key)");
            return;
        }

        try
        {
            _ = FernetKeyRing.Parse(value);
        }
        catch (EncryptionKeyException exception)
        {
            errors.Add($"{SettingNames.EncryptionKey}: {exception.Message}");
        }
    }

    private static void RequireText(IConfiguration configuration, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(configuration[name]))
        {
            errors.Add($"{name} is not set");
        }
    }

    private static void RequireUrl(IConfiguration configuration, string name, bool required, List<string> errors)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add($"{name} is not set");
            }

            return;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{name} must be an absolute http(s) URL");
        }
    }

    private static void RequireDuration(IConfiguration configuration, string name, List<string> errors)
    {
        var value = configuration[name];
        if (value is not null && !DurationSetting.TryParse(value, out _))
        {
            errors.Add($"{name} must be a duration such as 300, 5m or 00:05:00");
        }
    }

    private static void RequireDuration(IConfiguration configuration, string name, List<string> errors, TimeSpan min, TimeSpan max, string? why = null)
    {
        var value = configuration[name];
        if (value is not null && (!DurationSetting.TryParse(value, out var duration) || duration < min || duration > max))
        {
            var range = $"{name} must be a duration from {DurationSetting.Format(min)} to {DurationSetting.Format(max)}, such as 300, 5m or 00:05:00";
            errors.Add(why is null ? range : $"{range} ({why})");
        }
    }
}
