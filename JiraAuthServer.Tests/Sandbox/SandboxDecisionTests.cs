using JiraAuthServer.Web.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace JiraAuthServer.Tests.Sandbox;

public sealed class SandboxDecisionTests
{
    [TestCase("Development", true)]
    [TestCase("Production", false)]
    [TestCase("Staging", false)]
    [TestCase("development", true)]
    [TestCase("Test", false)]
    public void Only_Development_without_an_Atlassian_app_gets_the_sandbox(string environment, bool expected)
    {
        Assert.That(SandboxDecision.ShouldStart(new Environment(environment), Settings()), Is.EqualTo(expected));
    }

    [TestCase("JIRA_CLIENT_ID")]
    [TestCase("JIRA_CLIENT_SECRET")]
    [TestCase("JIRA_REDIRECT_URI")]
    public void Any_real_Atlassian_setting_turns_it_off(string name)
    {
        Assert.That(SandboxDecision.ShouldStart(new Environment("Development"), Settings((name, "real"))), Is.False);
    }

    [Test]
    public void Keys_alone_do_not_turn_it_off()
    {
        Assert.That(SandboxDecision.ShouldStart(new Environment("Development"), Settings(("INTERNAL_API_KEY", "k"), ("ENCRYPTION_KEY", "e"))), Is.True);
    }

    [TestCase(null, "http://localhost:5000")]
    [TestCase("http://localhost:5000", "http://localhost:5000")]
    [TestCase("http://127.0.0.1:41234/", "http://127.0.0.1:41234")]
    [TestCase("http://0.0.0.0:8080;https://0.0.0.0:8443", "http://localhost:8080")]
    [TestCase("http://*:5005", "http://localhost:5005")]
    [TestCase("http://+:5006", "http://localhost:5006")]
    [TestCase("http://[::]:5007", "http://localhost:5007")]
    public void The_public_URL_is_the_first_listening_URL_as_a_browser_here_reaches_it(string? urls, string expected)
    {
        Assert.That(SandboxDecision.PublicUrl(Settings(("urls", urls))), Is.EqualTo(expected));
    }

    private static IConfiguration Settings(params (string Name, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(value => KeyValuePair.Create(value.Name, value.Value))).Build();

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "JiraAuthServer.Web";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
