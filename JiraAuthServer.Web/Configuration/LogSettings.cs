using JiraAuthServer.Core.Options;

namespace JiraAuthServer.Web.Configuration;

/// <summary>
/// <c>LOG_LEVEL</c> (NLog's level names, or Microsoft's: <c>Warning</c>, <c>Information</c>, ...) and <c>LOG_FORMAT</c>
/// (<c>text</c>, the default, or <c>json</c>: one JSON object per line). Unset or malformed values log at <c>Info</c>
/// as text; <see cref="FindLevelErrors"/> and <see cref="FindFormatErrors"/> then stop the start.
/// </summary>
public static class LogSettings
{
    public const string Text = "text";
    public const string Json = "json";

    private static readonly Dictionary<string, string> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Trace"] = "Trace",
        ["Debug"] = "Debug",
        ["Info"] = "Info",
        ["Information"] = "Info",
        ["Warn"] = "Warn",
        ["Warning"] = "Warn",
        ["Error"] = "Error",
        ["Fatal"] = "Fatal",
        ["Critical"] = "Fatal",
        ["Off"] = "Off",
        ["None"] = "Off",
    };

    /// <summary>The NLog level name for <c>LOG_LEVEL</c>.</summary>
    public static string Level(IConfiguration configuration) =>
        Levels.TryGetValue(configuration[SettingNames.LogLevel]?.Trim() ?? string.Empty, out var level) ? level : "Info";

    public static bool IsJson(IConfiguration configuration) =>
        string.Equals(configuration[SettingNames.LogFormat]?.Trim(), Json, StringComparison.OrdinalIgnoreCase);

    public static void FindLevelErrors(IConfiguration configuration, List<string> errors)
    {
        if (configuration[SettingNames.LogLevel] is { } level && !string.IsNullOrWhiteSpace(level) && !Levels.ContainsKey(level.Trim()))
        {
            errors.Add($"{SettingNames.LogLevel} must be one of Trace, Debug, Info, Warn, Error, Fatal, Off (or Information, Warning, Critical, None)");
        }
    }

    public static void FindFormatErrors(IConfiguration configuration, List<string> errors)
    {
        var format = configuration[SettingNames.LogFormat]?.Trim();
        if (!string.IsNullOrEmpty(format) && !IsJson(configuration) && !string.Equals(format, Text, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{SettingNames.LogFormat} must be {Text} or {Json}");
        }
    }
}
