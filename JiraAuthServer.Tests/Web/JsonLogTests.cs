using System.Globalization;
using JiraAuthServer.Tests.Support;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary><c>LOG_FORMAT=json</c> in process: each console line one JSON object with the event's fields.</summary>
public sealed class JsonLogTests : WebTestBase
{
    [Test]
    public async Task Each_line_has_time_level_logger_message_and_the_events_structured_fields()
    {
        using var log = new NLogCapture();

        await Context.AuthorizeAsync(4242);
        using (var response = await Context.Bot.GetAsync(new Uri("/auth/token/4242", UriKind.Relative)))
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
        }

        var lines = log.ConsoleLines.Select(JObject.Parse).ToList();
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            Assert.That(line.Value<string>("level"), Is.AnyOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), line.ToString());
            Assert.That(line.Value<string>("logger"), Is.Not.Empty, line.ToString());
            Assert.That(line.Value<string>("message"), Is.Not.Empty, line.ToString());
            Assert.That(DateTimeOffset.TryParse(line.Value<string>("time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out _), Is.True, line.ToString());
            Assert.That(line.ContainsKey("exception"), Is.False, "no exception, no field");
        }

        // Whatever the request and audit lines say, the values in their messages are fields of their own too.
        var aboutTheUser = lines.Where(line => line.Value<string>("message")!.Contains("4242", StringComparison.Ordinal)
            && line.Value<string>("logger")!.StartsWith("JiraAuthServer.Web", StringComparison.Ordinal)).ToList();
        Assert.That(aboutTheUser, Is.Not.Empty);
        Assert.That(aboutTheUser, Has.All.Matches<JObject>(line => line.Properties().Count() > 5 && line.Properties().Skip(4).Any(property => property.Value.ToString() == "4242")));
        Assert.That(lines.SelectMany(line => line.Properties()).Select(property => property.Name), Has.Some.Contains("Endpoint").And.Some.Contains("Ms"), "the endpoint and the duration of requests");
    }

    [Test]
    public void An_exception_is_written_as_its_type_and_message()
    {
        using var log = new NLogCapture();

        NLog.LogManager.GetLogger("JiraAuthServer.Tests.JsonLog").Error(new InvalidOperationException("the disk is full"), "Writing failed after {Attempts} attempts", 3);

        var line = JObject.Parse(log.ConsoleLines.Single(text => text.Contains("Writing failed", StringComparison.Ordinal)));
        Assert.That(line.Value<string>("message"), Is.EqualTo("Writing failed after 3 attempts"));
        Assert.That(line.Value<int>("Attempts"), Is.EqualTo(3));
        Assert.That(line["exception"]!.Value<string>("type"), Is.EqualTo("System.InvalidOperationException"));
        Assert.That(line["exception"]!.Value<string>("message"), Is.EqualTo("the disk is full"));
        Assert.That(line.Value<string>("level"), Is.EqualTo("ERROR"));
    }

    protected override Task<WebTestContext> StartContextAsync() => WebTestContext.StartAsync(new Dictionary<string, string?> { ["LOG_FORMAT"] = "json" });
}
