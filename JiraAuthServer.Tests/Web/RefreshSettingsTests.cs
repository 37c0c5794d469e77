using JiraAuthServer.Core.Options;
using JiraAuthServer.Web.Configuration;
using Microsoft.Extensions.Configuration;

namespace JiraAuthServer.Tests.Web;

/// <summary>The refresh and keep-alive variables: read with their defaults, and refused by name when out of range.</summary>
public sealed class RefreshSettingsTests
{
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["JIRA_CLIENT_ID"] = "id",
        ["JIRA_CLIENT_SECRET"] = "secret",
        ["INTERNAL_API_KEY"] = "key",
        ["JIRA_REDIRECT_URI"] = "https://bot.example.com/auth/callback",
        ["ENCRYPTION_KEY"] = AuthServerFactory.EncryptionKey,
    };

    [Test]
    public void Unset_keep_alive_variables_take_their_defaults_and_pass()
    {
        var options = new KeepAliveOptions();
        SettingsBinder.BindKeepAlive(options, Configuration());

        Assert.That(SettingsValidator.FindErrors(Configuration()), Is.Empty);
        Assert.That(options.After, Is.EqualTo(TimeSpan.FromDays(30)));
        Assert.That(options.RefreshesPerSecond, Is.EqualTo(0.5));
        Assert.That(options.Interval, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(options.ReauthorizationNoticeBefore, Is.EqualTo(TimeSpan.FromDays(14)));
    }

    [Test]
    public void Set_keep_alive_variables_are_read()
    {
        var configuration = Configuration(("KEEPALIVE_AFTER", "45d"), ("KEEPALIVE_RATE", "2.5"), ("KEEPALIVE_INTERVAL", "30m"), ("REAUTH_NOTICE_BEFORE", "30d"));
        var options = new KeepAliveOptions();
        SettingsBinder.BindKeepAlive(options, configuration);

        Assert.That(SettingsValidator.FindErrors(configuration), Is.Empty);
        Assert.That(options.After, Is.EqualTo(TimeSpan.FromDays(45)));
        Assert.That(options.RefreshesPerSecond, Is.EqualTo(2.5));
        Assert.That(options.Interval, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(options.ReauthorizationNoticeBefore, Is.EqualTo(TimeSpan.FromDays(30)));
    }

    [TestCase("KEEPALIVE_AFTER", "90d", "KEEPALIVE_AFTER must be a duration from 1h to 80d")]
    [TestCase("KEEPALIVE_AFTER", "10m", "KEEPALIVE_AFTER must be a duration from 1h to 80d")]
    [TestCase("KEEPALIVE_AFTER", "soon", "KEEPALIVE_AFTER must be a duration from 1h to 80d")]
    [TestCase("KEEPALIVE_INTERVAL", "0", "KEEPALIVE_INTERVAL must be a duration from 1m to 1d")]
    [TestCase("KEEPALIVE_INTERVAL", "2d", "KEEPALIVE_INTERVAL must be a duration from 1m to 1d")]
    [TestCase("KEEPALIVE_RATE", "0", "KEEPALIVE_RATE must be a number of refreshes per second above 0 and at most 100")]
    [TestCase("KEEPALIVE_RATE", "-1", "KEEPALIVE_RATE must be a number of refreshes per second above 0 and at most 100")]
    [TestCase("KEEPALIVE_RATE", "1,5", "KEEPALIVE_RATE must be a number of refreshes per second above 0 and at most 100")]
    [TestCase("KEEPALIVE_RATE", "1000", "KEEPALIVE_RATE must be a number of refreshes per second above 0 and at most 100")]
    [TestCase("REAUTH_NOTICE_BEFORE", "365d", "REAUTH_NOTICE_BEFORE must be a duration from 1h to 364d")]
    [TestCase("REAUTH_NOTICE_BEFORE", "0", "REAUTH_NOTICE_BEFORE must be a duration from 1h to 364d")]
    [TestCase("REAUTH_NOTICE_BEFORE", "two weeks", "REAUTH_NOTICE_BEFORE must be a duration from 1h to 364d")]
    [TestCase("ATLASSIAN_TIMEOUT", "0", "ATLASSIAN_TIMEOUT must be a duration from 1s to 2m")]
    [TestCase("ATLASSIAN_TIMEOUT", "30d", "ATLASSIAN_TIMEOUT must be a duration from 1s to 2m")]
    [TestCase("JIRA_PROXY_TIMEOUT", "0", "JIRA_PROXY_TIMEOUT must be a duration from 1s to 10m")]
    [TestCase("JIRA_PROXY_TIMEOUT", "1h", "JIRA_PROXY_TIMEOUT must be a duration from 1s to 10m")]
    [TestCase("TOKEN_REFRESH_MARGIN", "2h", "TOKEN_REFRESH_MARGIN must be a duration from 0s to 50m")]
    public void A_value_out_of_range_is_refused_by_name(string name, string value, string message)
    {
        var errors = SettingsValidator.FindErrors(Configuration((name, value)));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith(message));
    }

    [Test]
    public void The_Jira_proxy_timeout_defaults_to_30_s_and_is_read_like_every_duration()
    {
        var unset = new JiraProxyOptions();
        SettingsBinder.BindJiraProxy(unset, Configuration());
        var set = new JiraProxyOptions();
        SettingsBinder.BindJiraProxy(set, Configuration(("JIRA_PROXY_TIMEOUT", "2m")));

        Assert.That(unset.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(set.Timeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(SettingsValidator.FindErrors(Configuration(("JIRA_PROXY_TIMEOUT", "2m"))), Is.Empty);
    }

    [Test]
    public void Every_bad_variable_is_listed_at_once()
    {
        var errors = SettingsValidator.FindErrors(Configuration(("KEEPALIVE_AFTER", "1y"), ("KEEPALIVE_RATE", "fast"), ("KEEPALIVE_INTERVAL", "-5")));

        Assert.That(errors.Select(error => error.Split(' ')[0]), Is.EquivalentTo(new[] { "KEEPALIVE_AFTER", "KEEPALIVE_RATE", "KEEPALIVE_INTERVAL" }));
        Assert.That(errors.Single(error => error.StartsWith("KEEPALIVE_AFTER", StringComparison.Ordinal)), Does.Contain("90 days"));
    }

    private static IConfiguration Configuration(params (string Name, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(Required);
        foreach (var (name, value) in settings)
        {
            values[name] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
