using System.Net;
using JiraAuthServer.Tests.Fakes;
using JiraAuthServer.Tests.Infrastructure.Crypto;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>The built server as a child process, configured only through its environment variables.</summary>
public sealed class ServerProcessTests : ProcessTestBase
{
    private const string NewKey = "CXPtkOcESuC8qq6_-ZhbW0kY1WD6lZlxsDvqR921SEo=";
    [Test]
    public async Task The_whole_flow_works_over_real_HTTP()
    {
        var server = await Context.StartServerAsync();

        var page = await Context.AuthorizeAsync(31337);
        using var browser = server.CreateClient();
        var status = JObject.Parse(await browser.GetStringAsync(new Uri("/auth/status/31337", UriKind.Relative)));
        var token = await Context.GetTokenAsync(31337);
        using var bot = server.CreateClient(ProcessTestContext.ApiKey);
        var revoke = await bot.DeleteAsync(new Uri("/auth/revoke/31337", UriKind.Relative));
        var after = await Context.GetTokenAsync(31337);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain(FakeJiraUser.Default.EmailAddress));
        Assert.That(status.Value<bool>("authenticated"), Is.True);
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JObject.Parse(await token.Content.ReadAsStringAsync()).Value<string>("access_token"), Is.EqualTo(Context.Atlassian.LastIssuedTokens!.AccessToken));
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(File.Exists(Context.TokensFile + ".journal"), Is.True, "the default TOKENS_FILE (and its journal) is in the working folder");
        Assert.That(server.Output, Does.Contain("auth/token/{telegram_user_id} user=31337 from 127.0.0.1 -> 200 served in "));
    }

    [Test]
    public async Task Grants_survive_a_restart()
    {
        await Context.StartServerAsync();
        await Context.AuthorizeAsync(1);
        await Context.AuthorizeAsync(2);
        await Context.StopServerAsync();

        await Context.StartServerAsync();

        Assert.That((await Context.GetTokenAsync(1)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Context.GetTokenAsync(2)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Production_refuses_to_start_without_its_settings_and_names_each_one()
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync(
            ["--urls", $"http://127.0.0.1:{Context.Port}"],
            new Dictionary<string, string> { ["ENCRYPTION_KEY"] = "not-a-key,also-bad", ["JIRA_REDIRECT_URI"] = "not a url" },
            Context.Folder);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("JIRA_CLIENT_ID is not set"));
        Assert.That(output, Does.Contain("JIRA_CLIENT_SECRET is not set"));
        Assert.That(output, Does.Contain("INTERNAL_API_KEY is not set"));
        Assert.That(output, Does.Contain("JIRA_REDIRECT_URI must be an absolute http(s) URL"));
        Assert.That(output, Does.Contain("key 1 of 2"));
        Assert.That(output, Does.Not.Contain("not-a-key"));
        Assert.That(output, Does.Not.Contain("also-bad"));
        Assert.That(File.Exists(Context.TokensFile), Is.False, "nothing written");
    }

    [Test]
    public async Task Generate_key_prints_a_key_the_server_accepts()
    {
        var (exitCode, output) = await ServerProcess.RunToEndAsync(["generate-key"], new Dictionary<string, string>(), Context.Folder);
        var key = output.Trim();

        Assert.That(exitCode, Is.Zero);
        Assert.That(key, Does.Match("^[A-Za-z0-9_-]{43}=$"));
        await Context.StartServerAsync(key);
        Assert.That((await Context.AuthorizeAsync(5)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task After_rotate_keys_the_server_runs_on_the_new_key_alone()
    {
        await Context.StartServerAsync();
        foreach (var user in new long[] { 11, 12, 13 })
        {
            await Context.AuthorizeAsync(user);
        }

        await Context.StopServerAsync();

        var (exitCode, output) = await ServerProcess.RunToEndAsync(["rotate-keys"], Context.Environment($"{NewKey},{ProcessTestContext.EncryptionKey}"), Context.Folder);
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Re-encrypted 3 of 3 grants"));

        await Context.StartServerAsync(NewKey);
        foreach (var user in new long[] { 11, 12, 13 })
        {
            Assert.That((await Context.GetTokenAsync(user)).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"user {user}");
        }
    }

    [Test]
    public async Task Rotate_keys_refuses_while_a_server_holds_the_file()
    {
        await Context.StartServerAsync();
        await Context.AuthorizeAsync(11);

        var (exitCode, output) = await ServerProcess.RunToEndAsync(["rotate-keys"], Context.Environment($"{NewKey},{ProcessTestContext.EncryptionKey}"), Context.Folder);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("another process").IgnoreCase);
    }

    [Test]
    public async Task A_grant_written_by_the_Python_server_is_served()
    {
        PythonFernet.RequireOrIgnore();
        var tokens = Context.Atlassian.IssueTokens();
        var encrypted = PythonFernet.Encrypt(ProcessTestContext.EncryptionKey, [tokens.AccessToken, tokens.RefreshToken!]);
        var expiresAt = DateTime.UtcNow.AddMinutes(50).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Context.TokensFile, $$"""
            {
              "424242": {
                "access_token": "{{encrypted[0]}}",
                "refresh_token": "{{encrypted[1]}}",
                "expires_at": "{{expiresAt}}",
                "token_type": "Bearer",
                "scope": "read:jira-work offline_access",
                "jira_account_id": "python-era-account",
                "jira_email": null,
                "jira_cloud_id": "{{FakeAtlassianSite.DefaultCloudId}}"
              }
            }
            """);
        await Context.StartServerAsync();

        var response = await Context.GetTokenAsync(424242);

        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.Value<string>("access_token"), Is.EqualTo(tokens.AccessToken));
        Assert.That(body.Value<string>("jira_account_id"), Is.EqualTo("python-era-account"));
    }
}
