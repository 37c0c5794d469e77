using JiraAuthServer.Core.Options;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// The settings each maintenance command reads: its help names them, and only they are checked before it runs, so
/// rotating keys on a machine without the Atlassian app's settings works.
/// </summary>
public static class CommandSettings
{
    public static readonly IReadOnlyList<string> RotateKeys =
        [SettingNames.EncryptionKey, SettingNames.TokenStore, SettingNames.TokensFile, SettingNames.DatabaseUrl, SettingNames.JournalCompaction];

    public static readonly IReadOnlyList<string> ImportFile = [SettingNames.EncryptionKey, SettingNames.DatabaseUrl, SettingNames.TokensFile];

    public static readonly IReadOnlyList<string> ExportFile = [SettingNames.DatabaseUrl, SettingNames.TokensFile];

    /// <summary>Every command logs (the store's own lines) as the server does.</summary>
    public static readonly IReadOnlyList<string> Logging = [SettingNames.LogLevel, SettingNames.LogFormat];

    public static IReadOnlyList<string> WithLogging(IReadOnlyList<string> settings) => [.. settings, .. Logging];

    /// <summary>The help's sentence naming a command's settings.</summary>
    public static string Describe(IReadOnlyList<string> settings) =>
        $"Reads {string.Join(", ", settings)} (and {string.Join(", ", Logging)}) from the environment or .env; no other setting is needed.";
}
