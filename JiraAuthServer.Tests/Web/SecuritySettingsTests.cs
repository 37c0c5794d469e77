using System.Net;
using JiraAuthServer.Web.Configuration;
using JiraAuthServer.Web.Security;
using Microsoft.Extensions.Configuration;

namespace JiraAuthServer.Tests.Web;

public sealed class SecuritySettingsTests
{
    [Test]
    public void The_defaults_are_ten_key_failures_thirty_callbacks_sixty_statuses_a_minute_and_nothing_open()
    {
        var limits = new RateLimitOptions();
        var network = new NetworkOptions();
        SecuritySettings.BindRateLimits(limits, Configuration());
        SecuritySettings.BindNetwork(network, Configuration());

        Assert.That((limits.Window, limits.KeyFailures, limits.Callback, limits.Status), Is.EqualTo((TimeSpan.FromMinutes(1), 10, 30, 60)));
        Assert.That(network.CorsOrigins, Is.Empty);
        Assert.That(network.TrustForwardedHeaders, Is.False);
        Assert.That(network.RequireHttps, Is.False);
        Assert.That(Errors(Configuration()), Is.Empty);
    }

    [Test]
    public void Every_setting_is_read()
    {
        var configuration = Configuration(
            ("RATE_LIMIT_WINDOW", "5m"), ("RATE_LIMIT_KEY_FAILURES", "3"), ("RATE_LIMIT_CALLBACK", "0"), ("RATE_LIMIT_STATUS", "500"),
            ("CORS_ORIGINS", "https://a.example.com/, http://localhost:3000"), ("FORWARDED_HEADERS", "10.0.0.5, 2001:db8::/32"),
            ("REQUIRE_HTTPS", "TRUE"), ("HTTPS_PORT", "8443"));
        var limits = new RateLimitOptions();
        var network = new NetworkOptions();

        SecuritySettings.BindRateLimits(limits, configuration);
        SecuritySettings.BindNetwork(network, configuration);

        Assert.That(Errors(configuration), Is.Empty);
        Assert.That((limits.Window, limits.KeyFailures, limits.Callback, limits.Status), Is.EqualTo((TimeSpan.FromMinutes(5), 3, 0, 500)));
        Assert.That(network.CorsOrigins, Is.EqualTo(new[] { "https://a.example.com", "http://localhost:3000" }));
        Assert.That(network.TrustForwardedHeaders, Is.True);
        Assert.That(network.TrustedProxies, Is.EqualTo(new[] { new IPNetwork(IPAddress.Parse("10.0.0.5"), 32), IPNetwork.Parse("2001:db8::/32") }));
        Assert.That(network.RequireHttps, Is.True);
        Assert.That(network.HttpsPort, Is.EqualTo(8443));
    }

    [TestCase("false", false)]
    [TestCase("", false)]
    [TestCase("true", true)]
    [TestCase("127.0.0.1", true)]
    public void FORWARDED_HEADERS_is_off_true_or_a_list(string value, bool trusted)
    {
        var network = new NetworkOptions();
        SecuritySettings.BindNetwork(network, Configuration(("FORWARDED_HEADERS", value)));

        Assert.That(network.TrustForwardedHeaders, Is.EqualTo(trusted));
    }

    [TestCase("RATE_LIMIT_WINDOW", "0")]
    [TestCase("RATE_LIMIT_WINDOW", "2d")]
    [TestCase("RATE_LIMIT_WINDOW", "soon")]
    [TestCase("RATE_LIMIT_KEY_FAILURES", "-1")]
    [TestCase("RATE_LIMIT_KEY_FAILURES", "ten")]
    [TestCase("RATE_LIMIT_CALLBACK", "1.5")]
    [TestCase("RATE_LIMIT_STATUS", "99999999999")]
    [TestCase("CORS_ORIGINS", "*")]
    [TestCase("CORS_ORIGINS", "https://a.example.com/path")]
    [TestCase("CORS_ORIGINS", "app.example.com")]
    [TestCase("CORS_ORIGINS", "ftp://files.example.com")]
    [TestCase("FORWARDED_HEADERS", "maybe")]
    [TestCase("FORWARDED_HEADERS", "10.0.0.0/40")]
    [TestCase("REQUIRE_HTTPS", "sometimes")]
    [TestCase("HTTPS_PORT", "70000")]
    public void A_malformed_value_is_named_at_start(string name, string value)
    {
        var errors = Errors(Configuration((name, value)));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith(name));
    }

    [Test]
    public void The_start_check_lists_security_settings_with_the_others()
    {
        var errors = SettingsValidator.FindErrors(Configuration(("RATE_LIMIT_WINDOW", "soon"), ("CORS_ORIGINS", "*")));

        Assert.That(errors, Has.Some.StartsWith("JIRA_CLIENT_ID"));
        Assert.That(errors, Has.Some.StartsWith("RATE_LIMIT_WINDOW"));
        Assert.That(errors, Has.Some.StartsWith("CORS_ORIGINS"));
    }

    private static List<string> Errors(IConfiguration configuration)
    {
        var errors = new List<string>();
        SecuritySettings.FindErrors(configuration, errors);
        return errors;
    }

    private static IConfiguration Configuration(params (string Name, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(pair => KeyValuePair.Create(pair.Name, (string?)pair.Value))).Build();
}
