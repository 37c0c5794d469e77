using System.Net;
using System.Text;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>
/// The built server configured by nothing but a <c>.env</c> in its working folder, written with python-dotenv's
/// quoting and comments: its settings, its listening address (<c>ASPNETCORE_URLS</c>) and its logging
/// (<c>LOG_LEVEL</c>, <c>LOG_FORMAT</c>) all come from there; a real environment variable still wins.
/// </summary>
public sealed class DotEnvProcessTests : ProcessTestBase
{
    [Test]
    public async Task A_server_with_only_a_dotenv_file_listens_logs_and_works_as_it_says()
    {
        await WriteDotEnvAsync(("LOG_LEVEL", "Debug"));

        var server = await StartFromDotEnvAsync(new Dictionary<string, string>());
        var page = await Context.AuthorizeAsync(77);
        var token = await Context.GetTokenAsync(77);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the quoted client id and secret were read without their quotes and comments");
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Output, Does.Contain("GET health -> 200"), "LOG_LEVEL=Debug from .env shows the health probes");
    }

    [Test]
    public async Task The_environment_wins_over_dotenv()
    {
        await WriteDotEnvAsync(("LOG_LEVEL", "Debug"));

        var server = await StartFromDotEnvAsync(new Dictionary<string, string> { ["LOG_LEVEL"] = "Info" });
        await Context.AuthorizeAsync(78);

        Assert.That(server.Output, Does.Contain("auth/start"), "the request lines (Info) are there");
        Assert.That(server.Output, Does.Not.Contain("GET health -> 200"), "the environment's Info beats .env's Debug");
    }

    [Test]
    public async Task Log_format_json_from_dotenv_writes_json_lines()
    {
        await WriteDotEnvAsync(("LOG_FORMAT", "json"));

        var server = await StartFromDotEnvAsync(new Dictionary<string, string>());
        await Context.AuthorizeAsync(79);
        await Context.StopServerAsync();

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.GreaterThan(5));
        Assert.That(lines.Select(JObject.Parse), Has.All.Matches<JObject>(line => line.ContainsKey("message") && line.ContainsKey("level")));
    }

    /// <summary>Every setting of the context in <c>.env</c>, in the forms operators write: export, quotes, comments.</summary>
    private async Task WriteDotEnvAsync(params (string Name, string Value)[] more)
    {
        var text = new StringBuilder("# written as for the old server\n\n");
        var forms = new[] { "{0}={1}", "export {0}=\"{1}\" # quoted, then a comment", "{0}='{1}'  # single quotes", "{0} = {1} # unquoted, then a comment" };
        var index = 0;
        foreach (var (name, value) in Context.Environment().Append(KeyValuePair.Create("ASPNETCORE_URLS", $"http://127.0.0.1:{Context.Port}")).Concat(more.Select(pair => KeyValuePair.Create(pair.Name, pair.Value))))
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{string.Format(System.Globalization.CultureInfo.InvariantCulture, forms[index++ % forms.Length], name, value)}");
        }

        await File.WriteAllTextAsync(Path.Combine(Context.Folder, ".env"), text.ToString());
    }

    private Task<ServerProcess> StartFromDotEnvAsync(Dictionary<string, string> environment) => Context.StartServerAsync(environment, arguments: []);
}
