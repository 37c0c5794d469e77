using System.Net;
using System.Text.RegularExpressions;
using JiraAuthServer.Tests.EndToEnd;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>The built server as a developer and an operator start it: the sandbox appears only where it should.</summary>
public sealed partial class SandboxProcessTests
{
    [Test]
    public async Task Development_without_settings_runs_the_sandbox_and_the_printed_key_works_for_the_whole_flow()
    {
        await using var server = await SandboxServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var output = server.Process.Output;
        Assert.That(output, Does.Contain("SANDBOX"));
        Assert.That(output, Does.Contain($"curl -H \"Authorization: Bearer {server.ApiKey}\" \"{server.BaseAddress.ToString().TrimEnd('/')}/auth/start?telegram_user_id=123456789\""));
        var consentPage = await http.GetStringAsync(new Uri(await server.StartAuthorizationAsync(123456789)));
        var approve = ApproveLink().Match(consentPage).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var toCallback = await http.GetAsync(new Uri(server.BaseAddress, approve));
        var page = await http.GetAsync(toCallback.Headers.Location);
        var token = await server.GetTokenAsync(123456789);

        Assert.That(toCallback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Jira connected").And.Contain("Sandbox Jira"));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JObject.Parse(await token.Content.ReadAsStringAsync()).Value<string>("jira_email"), Is.EqualTo("sandbox.user@example.com"));
        Assert.That(output, Does.Not.Contain("sandbox-access-"), "tokens are never printed");
    }

    [Test]
    public async Task The_sandbox_home_page_starts_an_authorization_without_the_key()
    {
        await using var server = await SandboxServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        var home = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var start = await http.GetAsync(new Uri("/sandbox/start?telegram_user_id=55", UriKind.Relative));

        Assert.That(home, Does.Contain("Connect as Telegram user"));
        Assert.That(home, Does.Contain(server.ApiKey));
        Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(start.Headers.Location!.AbsolutePath, Is.EqualTo("/sandbox/atlassian/authorize"));
    }

    [Test]
    public async Task A_stopped_sandbox_leaves_no_token_file_behind()
    {
        var server = await SandboxServer.StartAsync();
        var tokensFile = TokensFile().Match(server.Process.Output).Groups[1].Value;
        Assert.That(Directory.Exists(Path.GetDirectoryName(tokensFile)), Is.True);

        Assert.That(await server.Process.StopAsync(), Is.Zero, server.Process.Output);
        await server.DisposeAsync();

        Assert.That(Directory.Exists(Path.GetDirectoryName(tokensFile)), Is.False);
    }

    [TestCase("Production")]
    [TestCase("Staging")]
    public async Task Outside_Development_a_server_without_settings_refuses_to_start_and_never_becomes_a_sandbox(string environment)
    {
        var folder = Directory.CreateTempSubdirectory("jira-auth-nosandbox-").FullName;
        try
        {
            var (exitCode, output) = await ServerProcess.RunToEndAsync(
                ["--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}"],
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = environment },
                folder);

            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("JIRA_CLIENT_ID is not set"));
            Assert.That(output, Does.Not.Contain("SANDBOX"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Real_settings_turn_the_sandbox_off_in_Development()
    {
        await using var context = await ProcessTestContext.CreateAsync();
        var environment = context.Environment();
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        await using var server = await ServerProcess.StartAsync(environment, context.Folder, context.Port);
        using var http = server.CreateClient();

        var sandbox = await http.GetAsync(new Uri("/sandbox", UriKind.Relative));

        Assert.That(sandbox.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(server.Output, Does.Not.Contain("SANDBOX"));
    }

    [GeneratedRegex("href=\"(/sandbox/atlassian/authorize/approve\\?consent=[^\"]+)\"")]
    private static partial Regex ApproveLink();

    [GeneratedRegex(@"Token file:\s+(\S+)")]
    private static partial Regex TokensFile();
}
