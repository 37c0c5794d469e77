using System.Net;
using System.Text.RegularExpressions;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>
/// The built server writes the request lines in batches, through a buffered standard output: under concurrent load
/// and a graceful stop right after it, every request still has its line, whole and on a line of its own.
/// </summary>
public sealed partial class RequestLogProcessTests : ProcessTestBase
{
    private const int Requests = 3_000;

    [Test]
    public async Task Every_request_of_a_burst_has_its_line_after_a_graceful_stop()
    {
        var server = await Context.StartServerAsync();
        await Context.AuthorizeAsync(4242);
        using var bot = server.CreateClient(ProcessTestContext.ApiKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async index =>
        {
            using var response = await bot.GetAsync(new Uri($"/auth/status/{1_000_000 + index}", UriKind.Relative));
            return response.StatusCode;
        }));
        await Context.StopServerAsync();

        Assert.That(answers, Has.All.EqualTo(HttpStatusCode.OK));
        var logged = server.Output.Split('\n').Select(line => StatusLine().Match(line)).Where(match => match.Success)
            .Select(match => long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(logged, Is.Unique);
        Assert.That(logged, Is.EquivalentTo(Enumerable.Range(0, Requests).Select(index => 1_000_000L + index)));
    }

    [GeneratedRegex(@"^\S+ \S+ INFO  RequestOutcomeLogging: GET auth/status/\{telegram_user_id\} user=(\d+) from \S+ -> 200 \S+ in \d+\.\d ms\r?$")]
    private static partial Regex StatusLine();
}
