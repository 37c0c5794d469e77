using System.Globalization;
using System.Net;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>The built server with <c>LOG_FORMAT=json</c>: every line it prints is one JSON object, none holds a secret.</summary>
public sealed class JsonLogProcessTests : ProcessTestBase
{
    [Test]
    public async Task Every_line_is_a_json_object_with_time_level_logger_message_and_the_events_fields()
    {
        Context.ExtraEnvironment["LOG_FORMAT"] = "json";
        var server = await Context.StartServerAsync();
        await Context.AuthorizeAsync(31337);
        var token = await Context.GetTokenAsync(31337);
        using (var browser = server.CreateClient())
        {
            await browser.GetAsync(new Uri("/auth/status/not-a-number", UriKind.Relative));
            await browser.GetAsync(new Uri("/auth/token/31337", UriKind.Relative));
        }

        await Context.StopServerAsync();

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseLine).ToList();
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(lines, Has.Count.GreaterThan(8));
        foreach (var line in lines)
        {
            Assert.That(DateTimeOffset.TryParse(line.Value<string>("time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out _), Is.True, line.ToString());
            Assert.That(line.Value<string>("level"), Is.AnyOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), line.ToString());
            Assert.That(line.Value<string>("logger"), Is.Not.Empty, line.ToString());
            Assert.That(line.Value<string>("message"), Is.Not.Null, line.ToString());
        }

        var aboutTheUser = lines.Where(line => line.Value<string>("logger")!.StartsWith("JiraAuthServer.Web", StringComparison.Ordinal)
            && line.Value<string>("message")!.Contains("31337", StringComparison.Ordinal)).ToList();
        Assert.That(aboutTheUser, Has.Count.GreaterThanOrEqualTo(3), "the start, callback and token requests");
        Assert.That(aboutTheUser, Has.All.Matches<JObject>(line => line.Properties().Skip(4).Any(property => property.Value.ToString() == "31337")), "the user id is a field");
        Assert.That(lines.SelectMany(line => line.Properties()).Select(property => property.Name), Has.Some.Contains("Endpoint").And.Some.Contains("Ms"), "the endpoint and the duration of requests");
        foreach (var secret in new[] { ProcessTestContext.ApiKey, ProcessTestContext.EncryptionKey, Context.Atlassian.ClientSecret, Context.Atlassian.LastIssuedTokens!.AccessToken, Context.Atlassian.LastIssuedTokens.RefreshToken! })
        {
            Assert.That(server.Output, Does.Not.Contain(secret));
        }
    }

    private static JObject ParseLine(string line)
    {
        try
        {
            return JObject.Parse(line);
        }
        catch (Newtonsoft.Json.JsonReaderException exception)
        {
            Assert.Fail($"not a JSON object: {line} ({exception.Message})");
            throw;
        }
    }
}
