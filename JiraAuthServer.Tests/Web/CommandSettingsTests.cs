using JiraAuthServer.Web.Configuration;
using JiraAuthServer.Web.Hosting;
using Microsoft.Extensions.Configuration;

namespace JiraAuthServer.Tests.Web;

/// <summary>Each command checks only the settings it reads, with the same checks and words as the server.</summary>
public sealed class CommandSettingsTests
{
    [Test]
    public void Rotate_keys_asks_only_for_the_key_ring_and_the_store()
    {
        var errors = SettingsValidator.FindErrors(Configuration(), CommandSettings.WithLogging(CommandSettings.RotateKeys));

        Assert.That(errors, Is.EqualTo(new[] { "ENCRYPTION_KEY is not set (generate one with: dotnet JiraAuthServer.Web.dll generate-key)" }));
        Assert.That(SettingsValidator.FindErrors(Configuration(), []), Is.Empty);
    }

    [Test]
    public void A_command_names_its_own_malformed_settings_as_the_server_does()
    {
        var configuration = Configuration(("ENCRYPTION_KEY", "short"), ("TOKEN_STORE", "redis"), ("JOURNAL_COMPACTION_MB", "-1"), ("LOG_FORMAT", "xml"), ("RATE_LIMIT_WINDOW", "soon"));

        var command = SettingsValidator.FindErrors(configuration, CommandSettings.WithLogging(CommandSettings.RotateKeys));
        var server = SettingsValidator.FindErrors(configuration);

        Assert.That(command, Has.Count.EqualTo(4));
        Assert.That(command, Has.Some.StartsWith("ENCRYPTION_KEY: key 1 of 1"));
        Assert.That(command, Has.Some.EqualTo("TOKEN_STORE must be file or postgres"));
        Assert.That(command, Has.Some.StartsWith("JOURNAL_COMPACTION_MB must be"));
        Assert.That(command, Has.Some.EqualTo("LOG_FORMAT must be text or json"));
        Assert.That(command, Is.SubsetOf(server), "the same words as the server's");
        Assert.That(server, Has.Some.StartsWith("RATE_LIMIT_WINDOW"), "the server checks everything");
        Assert.That(server, Has.Some.EqualTo("JIRA_CLIENT_ID is not set"));
    }

    [Test]
    public void Export_file_needs_no_key()
    {
        Assert.That(SettingsValidator.FindErrors(Configuration(), CommandSettings.WithLogging(CommandSettings.ExportFile)), Is.Empty);
        Assert.That(CommandSettings.Describe(CommandSettings.ExportFile), Does.Contain("DATABASE_URL").And.Not.Contain("ENCRYPTION_KEY"));
    }

    [TestCase("Debug", "Debug")]
    [TestCase("warning", "Warn")]
    [TestCase("Information", "Info")]
    [TestCase(null, "Info")]
    public void Log_level_takes_NLog_and_Microsoft_names(string? value, string level)
    {
        var configuration = Configuration(("LOG_LEVEL", value));

        Assert.That(LogSettings.Level(configuration), Is.EqualTo(level));
        Assert.That(SettingsValidator.FindErrors(configuration, ["LOG_LEVEL"]), Is.Empty);
    }

    [TestCase("LOG_LEVEL", "loud", "LOG_LEVEL must be one of")]
    [TestCase("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json")]
    public void A_malformed_log_setting_stops_the_start(string name, string value, string error)
    {
        Assert.That(SettingsValidator.FindErrors(Configuration((name, value))), Has.Some.StartsWith(error));
    }

    [TestCase("json", true)]
    [TestCase(" JSON ", true)]
    [TestCase("text", false)]
    [TestCase(null, false)]
    public void Log_format_json_is_recognised(string? value, bool json)
    {
        Assert.That(LogSettings.IsJson(Configuration(("LOG_FORMAT", value))), Is.EqualTo(json));
    }

    private static IConfiguration Configuration(params (string Name, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Name, setting.Value))).Build();
}
