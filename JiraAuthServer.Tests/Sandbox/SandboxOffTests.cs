using System.Net;
using JiraAuthServer.Tests.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JiraAuthServer.Tests.Sandbox;

/// <summary>With an Atlassian app configured the sandbox's pages and stand-in endpoints do not exist at all.</summary>
public sealed class SandboxOffTests
{
    [TestCase("Production")]
    [TestCase("Development")]
    public async Task With_real_settings_no_sandbox_endpoint_answers(string environment)
    {
        await using var context = await WebTestContext.StartAsync(new Dictionary<string, string?> { ["environment"] = environment });
        Assert.That(context.Factory.Services.GetRequiredService<IHostEnvironment>().EnvironmentName, Is.EqualTo(environment));

        foreach (var path in new[] { "/", "/sandbox", "/sandbox/start?telegram_user_id=1", "/sandbox/atlassian/authorize?client_id=sandbox-client", "/sandbox/atlassian/oauth/token/accessible-resources" })
        {
            var response = await context.Browser.GetAsync(new Uri(path, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
        }

        var token = await context.Browser.PostAsync(new Uri("/sandbox/atlassian/oauth/token", UriKind.Relative), new StringContent("{}"));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var page = await (await context.AuthorizeAsync(1)).Content.ReadAsStringAsync();
        Assert.That(page, Does.Not.Contain("sandbox-banner"));
    }

    [Test]
    public async Task Swagger_does_not_list_the_sandbox()
    {
        await using var context = await WebTestContext.StartAsync();

        var json = await context.Browser.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));

        Assert.That(json, Does.Not.Contain("sandbox"));
    }
}
